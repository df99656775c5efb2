// Teams on an authenticated MLflow: the real basic-auth server, three users made and granted
// through MLflow's own auth API (admin; editor with EDIT on the experiment and the prompt; viewer
// with READ), and the CLI acting as each of them through MLFLOW_TRACKING_USERNAME/PASSWORD —
// exactly what CI sets. Governance comes from the workspace's .vscode/settings.json:
// production needs a passing eval and one approval by someone other than the requester.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promptCommand } from '../../../src/cli/promptCommand';
import { evalCommand } from '../../../src/cli/evalCommand';
import { auditTrail, listPromptVersions, listPrompts } from '../../../src/core/registry/promptRegistry';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { createUser, envFor, grant, type TestUser } from '../../helpers/mlflowAuth';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';

interface CliResult { code: number; stdout: string; stderr: string }

const PROMPT = (greeting: string) => `---\nname: greet\nmodel:\n  parameters:\n    temperature: 0\ninputs:\n  who:\n    type: string\n---\nsystem:\n${greeting}\n\nuser:\n{{ who }}\n`;

describe('Teams on an authenticated MLflow server (basic-auth app, three users)', function () {
  let server: MlflowServer;
  let ws: string;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  const transcript: string[] = [];

  async function cli(user: TestUser, command: 'prompt' | 'eval', args: string[]): Promise<CliResult> {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d) => { stdout += d; });
    err.on('data', (d) => { stderr += d; });
    const io = { stdout: out, stderr: err, cwd: ws, env: { ...envFor(server, user), HOME: ws }, isTty: false };
    const code = command === 'prompt' ? await promptCommand(args, io) : await evalCommand(args, io);
    transcript.push(stdout, stderr);
    return { code, stdout, stderr };
  }
  const storeAs = (u: TestUser) => new MlflowStore({ url: server.url, env: envFor(server, u), maxRetries: 0 });
  const writeLines = () => fs.readFileSync(path.join(server.dir, 'server.log'), 'utf8').split('\n').filter((l) => /"(POST|PATCH|PUT|DELETE) /.test(l));
  const setPrompt = (greeting: string) => fs.writeFileSync(path.join(ws, 'prompts', 'greet.prompty'), PROMPT(greeting));
  async function evalRun(user: TestUser): Promise<string> {
    const r = await cli(user, 'eval', ['greet.eval.yaml', '--output', 'json', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { suites: { runs: { runId: string }[] }[] }).suites[0].runs[0].runId;
  }
  const requestIdOf = (r: CliResult) => /request (r-[0-9a-f]+) opened/.exec(r.stdout)?.[1] ?? assert.fail(`no request id in: ${r.stdout}${r.stderr}`);

  before(async function () {
    server = await startMlflowServer({ auth: {} });
    admin = server.admin!;
    editor = await createUser(server, 'editor');
    viewer = await createUser(server, 'viewer');
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-team-'));
    fs.mkdirSync(path.join(ws, 'prompts'));
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), `{
  // the team's rules, committed with the prompts
  "promptLedger.governance.requireEvalForProduction": true,
  "promptLedger.governance.approvals": { "production": 1 },
}\n`);
    fs.writeFileSync(path.join(ws, 'cases.jsonl'), ['ada', 'grace'].map((w, i) => JSON.stringify({ id: `c${i}`, vars: { who: w }, expected: w })).join('\n') + '\n');
    fs.writeFileSync(path.join(ws, 'greet.eval.yaml'), 'prompt: prompts/greet.prompty\ndataset: cases.jsonl\nexperiment: team\nmodels:\n  - provider: echo\nscorers:\n  - type: contains\nthresholds:\n  pass_rate: 0.5\n');
    setPrompt('Greet the person.');
    // The admin creates the prompt and the experiment, then grants through MLflow's auth API.
    assert.equal((await cli(admin, 'prompt', ['register', 'prompts/greet.prompty'])).code, 0);
    const s = storeAs(admin);
    const experimentId = await s.ensureExperiment('team');
    await s.close();
    await grant(server, editor, 'prompt', 'greet', 'EDIT');
    await grant(server, editor, 'experiment', experimentId, 'EDIT');
    await grant(server, viewer, 'prompt', 'greet', 'READ');
    await grant(server, viewer, 'experiment', experimentId, 'READ');
  });
  after(async function () {
    await server?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('the viewer browses prompts and runs, but cannot register or request: a clear refusal, and no write reaches the server', async function () {
    const list = await cli(viewer, 'prompt', ['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^greet\tv1/m);
    const s = storeAs(viewer);
    try {
      assert.deepEqual((await listPrompts(s)).map((p) => p.name), ['greet']);
      assert.equal((await listPromptVersions(s, 'greet')).length, 1);
      const exp = await s.getExperimentByName('team');
      await s.searchRuns({ experimentIds: [exp!.experimentId] });
    } finally { await s.close(); }

    const writesBefore = writeLines().length;
    setPrompt('Greet the person warmly.');
    const reg = await cli(viewer, 'prompt', ['register', 'prompts/greet.prompty']);
    assert.equal(reg.code, 1);
    assert.match(reg.stderr, /signed in to MLflow as 'viewer', who has READ on prompt 'greet'; registering a version needs EDIT/);
    assert.match(reg.stderr, /permissions\/grant .*"permission":"EDIT"/);
    assert.match(reg.stderr, /MLFLOW_TRACKING_USERNAME/);
    const req = await cli(viewer, 'prompt', ['promote', 'greet', '--to', 'production', '--version', '1', '--evidence', 'abc', '--note', 'ship it']);
    assert.equal(req.code, 1);
    assert.match(req.stderr, /viewer.*READ on prompt 'greet'; requesting a move of 'production' needs EDIT/);
    assert.deepEqual(writeLines().slice(writesBefore), [], 'the viewer\'s refusals sent no write to the server');
    setPrompt('Greet the person.');
  });

  let requestId = '';
  it('the editor registers, evaluates and requests production, but cannot approve their own request; CI promote without evidence is refused', async function () {
    setPrompt('Greet the person by name.');
    const reg = await cli(editor, 'prompt', ['register', 'prompts/greet.prompty']);
    assert.equal(reg.code, 0, reg.stderr);
    assert.match(reg.stdout, /registered version 2/);
    const runId = await evalRun(editor);

    const noEvidence = await cli(editor, 'prompt', ['promote', 'greet', '--to', 'production', '--version', '2', '--note', 'ship v2']);
    assert.equal(noEvidence.code, 1);
    assert.match(noEvidence.stderr, /requires a passing eval run of greet v2; name it with --evidence <run-id>/);

    const direct = await cli(editor, 'prompt', ['register', 'prompts/greet.prompty', '--alias', 'production', '--note', 'sneak']);
    assert.equal(direct.code, 1, 'register --alias obeys the same governance');
    assert.match(direct.stderr, /moves only with the approval of another user/);

    const promote = await cli(editor, 'prompt', ['promote', 'greet', '--to', 'production', '--version', '2', '--evidence', runId, '--note', 'ship v2']);
    assert.equal(promote.code, 3, promote.stderr);
    requestId = requestIdOf(promote);
    const entry = JSON.parse(/^audit: (.*)$/m.exec(promote.stdout)![1]);
    assert.deepEqual([entry.action, entry.author, entry.to, entry.evidenceRunId, entry.requestId], ['request', 'editor', '2', runId, requestId]);

    const own = await cli(editor, 'prompt', ['approve', 'greet', requestId, '--note', 'lgtm']);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /is yours \(editor\): another user with MANAGE on 'greet' must approve it/);
    const open = await cli(viewer, 'prompt', ['requests', 'greet']);
    assert.match(open.stdout, new RegExp(`${requestId}\t@production → v2\tby editor .*\t0/1 approvals\topen\tship v2`));
    const s = storeAs(admin);
    try { assert.equal((await s.getRegisteredModel('greet')).aliases.find((a) => a.alias === 'production'), undefined); } finally { await s.close(); }
  });

  it('the admin approves: the alias moves, and the audit trail shows both people', async function () {
    const r = await cli(admin, 'prompt', ['approve', 'greet', requestId, '--note', 'reviewed the eval']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /approved; @production unset → v2 \(requested by editor, approved by admin\)/);
    const entry = JSON.parse(/^audit: (.*)$/m.exec(r.stdout)![1]);
    assert.deepEqual([entry.action, entry.author, entry.requestedBy, entry.to, entry.requestId], ['move', 'admin', 'editor', '2', requestId]);
    const s = storeAs(viewer);
    try {
      assert.equal((await s.getRegisteredModel('greet')).aliases.find((a) => a.alias === 'production')?.version, '2');
      const trail = (await auditTrail(s, 'greet')).filter((e) => e.requestId === requestId);
      assert.deepEqual(trail.map((e) => [e.action, e.author, e.note]), [['request', 'editor', 'ship v2'], ['move', 'admin', 'reviewed the eval']]);
    } finally { await s.close(); }
    const again = await cli(admin, 'prompt', ['approve', 'greet', requestId, '--note', 'twice']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already approved/);
  });

  it('a stale request cannot be approved: a newer version was registered after it', async function () {
    setPrompt('Greet the person by first name.');
    assert.equal((await cli(editor, 'prompt', ['register', 'prompts/greet.prompty'])).code, 0);
    const runId = await evalRun(editor);
    const req = await cli(editor, 'prompt', ['promote', 'greet', '--to', 'production', '--version', '3', '--evidence', runId, '--note', 'v3 please']);
    assert.equal(req.code, 3, req.stderr);
    const id = requestIdOf(req);
    setPrompt('Greet the person by last name.');
    assert.equal((await cli(editor, 'prompt', ['register', 'prompts/greet.prompty'])).code, 0);
    const listed = await cli(admin, 'prompt', ['requests', 'greet']);
    assert.match(listed.stdout, new RegExp(`${id}.*STALE: v4 was registered after it was made`));
    const r = await cli(admin, 'prompt', ['approve', 'greet', id, '--note', 'ok']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Request ${id} is stale: v4 was registered after it was made \\(it asks for v3\\)`));
    const rej = await cli(admin, 'prompt', ['reject', 'greet', id, '--note', 'superseded by v4']);
    assert.equal(rej.code, 0, rej.stderr);
    const s = storeAs(admin);
    try { assert.equal((await s.getRegisteredModel('greet')).aliases.find((a) => a.alias === 'production')?.version, '2'); } finally { await s.close(); }
  });

  it('a wrong password gets a 401 that names the fix; no password or auth header shows up in output, tags or run artifacts', async function () {
    const wrong = { username: 'editor', password: 'not-the-password-42' };
    const r = await cli(wrong, 'prompt', ['list']);
    assert.notEqual(r.code, 0);
    const message = r.stderr || String(r.code);
    assert.match(r.stderr, /401.*MLFLOW_TRACKING_USERNAME\/MLFLOW_TRACKING_PASSWORD/);
    const secrets = [admin, editor, viewer, wrong].flatMap((u) => [u.password, Buffer.from(`${u.username}:${u.password}`).toString('base64')]);
    const s = storeAs(admin);
    const recorded: string[] = [message, ...transcript];
    try {
      const model = await s.getRegisteredModel('greet');
      recorded.push(JSON.stringify(model), JSON.stringify(await listPromptVersions(s, 'greet')));
      const exp = await s.getExperimentByName('team');
      for (const run of (await s.searchRuns({ experimentIds: [exp!.experimentId] })).items) {
        recorded.push(JSON.stringify(run));
        const walk = async (p?: string): Promise<void> => {
          for (const f of await s.listArtifacts(run.info.runId, p)) {
            if (f.isDir) await walk(f.path); else recorded.push(Buffer.from(await s.downloadArtifact(run.info.runId, f.path)).toString('utf8'));
          }
        };
        await walk();
      }
    } finally { await s.close(); }
    assert.ok(recorded.join('').length > 1000, 'the check read what was recorded');
    for (const secret of secrets) {
      const where = recorded.findIndex((t) => t.includes(secret));
      assert.equal(where, -1, `a secret appeared in recorded text #${where}`);
    }
  });
});
