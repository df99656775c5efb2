// --resume of a cancelled run, --retry-errors, and the refusals (changed prompt/dataset/suite,
// --force-new), through the built CLI against the loopback fake and the embedded store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { fakeAnswer, makeFaultWorkspace, openStoreFor, root, spawnCli, suiteRuns, tableOf, type FaultWorkspace } from './resumeFaultHarness';

const CASES = 200;
const ERRORED = Array.from({ length: CASES }, (_, i) => i).filter((i) => i % 13 === 0).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('prompt-ledger eval --resume / --retry-errors (built CLI, embedded store)', function () {
  let fake: FakeLlmServer;
  let ws: FaultWorkspace;
  let failErrors = true;
  before(() => execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' }));
  beforeEach(async () => {
    failErrors = true;
    fake = await startFakeLlmServer({
      behavior: async ({ prompt }) => {
        await sleep(1);
        const a = fakeAnswer(prompt);
        return a.type === 'error' && !failErrors ? { type: 'reply', text: prompt } : a;
      },
    });
    ws = makeFaultWorkspace(fake, CASES);
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => spawnCli(args, ws.dir, '').done;
  const sentWords = (from = 0) => fake.requests.slice(from).map((r) => (r.body as { messages: { role: string; content: string }[] }).messages.at(-1)!.content);

  it('--retry-errors re-sends only the errored cases, into the same run', async () => {
    const first = await cli('eval', 'shout.eval.yaml', '--no-cache');
    assert.equal(first.code, 0, first.stderr);
    let store = await openStoreFor(ws.dir, '');
    const [run] = await suiteRuns(store);
    assert.equal(run.data.metrics.find((m) => m.key === 'error_count')?.value, ERRORED);
    await store.close();

    failErrors = false;
    const before = fake.requests.length;
    const retry = await cli('eval', 'shout.eval.yaml', '--no-cache', '--retry-errors', run.info.runId);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, new RegExp(`Retried errors of run ${run.info.runId}: ${CASES} rows were recorded before, ${ERRORED} errored and ran again`));
    const resent = sentWords(before);
    assert.equal(resent.length, ERRORED);
    assert.ok(resent.every((w) => Number(w.slice(1)) % 13 === 0), 'only errored cases are sent');
    assert.equal(new Set(resent).size, ERRORED);

    store = await openStoreFor(ws.dir, '');
    try {
      const runs = await suiteRuns(store);
      assert.equal(runs.length, 1);
      const m = Object.fromEntries(runs[0].data.metrics.map((x) => [x.key, x.value]));
      assert.equal(m.error_count, 0);
      assert.equal(m.case_count, CASES);
      const table = await tableOf(store, run.info.runId);
      assert.equal(new Set(table.data.map((r) => r[0])).size, CASES);
      assert.equal(table.data.length, CASES);
    } finally {
      await store.close();
    }
  });

  it('resumes a cancelled (SIGINT) run by id; refuses a changed prompt unless --force-new', async () => {
    let gate = false;
    fake.setBehavior(async ({ prompt }) => {
      await sleep(1);
      if (gate) return { type: 'hang' };
      return fakeAnswer(prompt);
    });
    const p = spawnCli(['eval', 'shout.eval.yaml', '--no-cache'], ws.dir, '');
    while (fake.requests.length < 50) await sleep(2);
    gate = true;
    await sleep(20);
    p.child.kill('SIGINT');
    const cancelled = await p.done;
    assert.equal(cancelled.code, 130, cancelled.stderr);
    let store = await openStoreFor(ws.dir, '');
    const [run] = await suiteRuns(store);
    assert.equal(run.info.status, 'KILLED');
    await store.close();
    const listed = await cli('runs');
    assert.match(listed.stdout, new RegExp(`${run.info.runId}\\s+KILLED\\s+\\d+/${CASES} cases`));

    // A changed prompt: refused, with what changed and how to go on.
    const promptFile = path.join(ws.dir, 'p.prompty');
    const original = fs.readFileSync(promptFile, 'utf8');
    fs.writeFileSync(promptFile, original.replace('Repeat the word.', 'Repeat the word, please.'));
    const refused = await cli('eval', 'shout.eval.yaml', '--no-cache', '--resume', run.info.runId);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`Cannot resume run ${run.info.runId}: the prompt p\\.prompty changed \\(content hash \\w+ → \\w+\\).*--force-new`));
    fs.writeFileSync(path.join(ws.dir, 'shout.eval.yaml'), `${fs.readFileSync(path.join(ws.dir, 'shout.eval.yaml'), 'utf8')}tags:\n  x: y\n`);
    const refused2 = await cli('eval', 'shout.eval.yaml', '--resume');
    assert.match(refused2.stderr, /the suite shout\.eval\.yaml changed/);

    // Back to the original: resume continues the same run without re-sending recorded cases.
    fs.writeFileSync(promptFile, original);
    fs.writeFileSync(path.join(ws.dir, 'shout.eval.yaml'), fs.readFileSync(path.join(ws.dir, 'shout.eval.yaml'), 'utf8').replace('tags:\n  x: y\n', ''));
    gate = false;
    const before = fake.requests.length;
    const recordedWords = new Set(sentWords(0).slice(0, before));
    const resumed = await cli('eval', 'shout.eval.yaml', '--no-cache', '--resume', run.info.runId);
    assert.equal(resumed.code, 0, resumed.stderr);
    const again = sentWords(before);
    store = await openStoreFor(ws.dir, '');
    try {
      const runs = await suiteRuns(store);
      assert.equal(runs.length, 1);
      assert.equal(runs[0].info.status, 'FINISHED');
      const table = await tableOf(store, run.info.runId);
      assert.equal(new Set(table.data.map((r) => r[0])).size, CASES);
      // Only requests that were hanging at the cancel (never answered, never recorded) go out again.
      const repeated = again.filter((w) => recordedWords.has(w));
      assert.ok(repeated.length <= 16, `${repeated.length} repeated`);
    } finally {
      await store.close();
    }

    // --force-new: a changed prompt starts a new run instead.
    fs.writeFileSync(promptFile, original.replace('Repeat the word.', 'Say the word.'));
    const forced = await cli('eval', 'shout.eval.yaml', '--no-cache', '--retry-errors', run.info.runId, '--force-new');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /--force-new: started a new run\. Cannot retry the errors of run/);
    store = await openStoreFor(ws.dir, '');
    try {
      assert.equal((await suiteRuns(store)).length, 2);
    } finally {
      await store.close();
    }
  });

  it('bad flags name the fix', async () => {
    const r = await cli('eval', 'shout.eval.yaml', '--retry-errors', 'nope');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'nope' is not a run id/);
    const r2 = await cli('eval', 'shout.eval.yaml', '--force-new');
    assert.match(r2.stderr, /--force-new goes with --resume or --retry-errors/);
    const r3 = await cli('eval', 'shout.eval.yaml', '--resume');
    assert.match(r3.stderr, /Nothing to resume: shout\.eval\.yaml has no interrupted or cancelled run/);
  });
});
