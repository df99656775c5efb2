import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { makeEvalWorkspace, type EvalWorkspace } from './evalWorkspace';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist', 'cli.js');

function runCli(args: string[], cwd: string, opts: { onSpawn?: (pid: number) => void } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    opts.onSpawn?.(child.pid!);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('prompt-ledger CLI (built dist/cli.js)', function () {
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  before(() => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
  });
  beforeEach(async () => {
    server = await startFakeLlmServer();
    ws = await makeEvalWorkspace();
    await ws.store.close(); // the CLI opens the store itself
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });

  const suite = (extra = '') => fs.writeFileSync(path.join(ws.dir, 'shout.eval.yaml'), `prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    noAuth: true
scorers:
  - type: equals
thresholds:
  pass_rate: 0.8
${extra}`);

  it('--help and --version', async () => {
    const help = await runCli(['--help'], ws.dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /eval <suite\.eval\.yaml…>/);
    const v = await runCli(['--version'], ws.dir);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('exit 0 with a retried 429, JSON on stdout; exit 1 when errors sink the pass rate', async () => {
    let n = 0;
    server.setBehavior(({ prompt }) => (n++ === 0 ? { type: 'error', status: 429, headers: { 'retry-after-ms': '5' } } : { type: 'reply', text: prompt }));
    suite();
    const ok = await runCli(['eval', 'shout.eval.yaml', '--output', 'json'], ws.dir);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(ok.stdout);
    assert.equal(report.suites[0].runs[0].metrics.pass_rate, 1);
    assert.equal(server.requests.length, 7);

    server.setBehavior(({ prompt }) => (prompt === 'beta' ? { type: 'truncated' } : prompt === 'gamma' ? { type: 'malformed' } : { type: 'reply', text: prompt }));
    const bad = await runCli(['eval', 'shout.eval.yaml', '--no-cache', '--output', 'junit', '--output-file', 'junit.xml'], ws.dir);
    assert.equal(bad.code, 1, bad.stderr);
    const xml = fs.readFileSync(path.join(ws.dir, 'junit.xml'), 'utf8');
    assert.match(xml, /name="c1" time="[\d.]+"><error type="network"/);
    assert.match(xml, /name="c2" time="[\d.]+"><error type="bad_response"/);
    assert.match(bad.stdout, /✗ pass_rate = 0\.667 \(needs ≥ 0\.8\)/);
  });

  it('exit 2 with file:line for bad input', async () => {
    suite('repeat: 0\n');
    const r = await runCli(['eval', 'shout.eval.yaml'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^shout\.eval\.yaml:12:9: error: repeat: Too small/m);
    assert.equal((await runCli(['eval', 'missing.eval.yaml'], ws.dir)).code, 2);
  });

  it('SIGINT cancels: exit 130 and the run is KILLED with partial results', async () => {
    fs.writeFileSync(path.join(ws.dir, 'cases.jsonl'), Array.from({ length: 30 }, (_, i) => JSON.stringify({ vars: { word: `w${i}` }, expected: `W${i}` })).join('\n'));
    server.setBehavior(({ req, prompt }) => (req.seq < 3 ? { type: 'reply', text: prompt } : { type: 'hang' }));
    suite('concurrency: 1\n');
    let pid = 0;
    const hung = server.waitForRequest((r) => r.seq === 3);
    const pending = runCli(['eval', 'shout.eval.yaml', '--no-cache'], ws.dir, { onSpawn: (p) => { pid = p; } });
    await hung;
    process.kill(pid, 'SIGINT');
    const r = await pending;
    assert.equal(r.code, 130, r.stderr);
    const store = await openEmbeddedStore(path.join(ws.dir, '.promptledger'));
    try {
      const exp = await store.getExperimentByName('shout');
      const runs = await store.searchRuns({ experimentIds: [exp!.experimentId] });
      assert.equal(runs.items.length, 1);
      assert.equal(runs.items[0].info.status, 'KILLED');
      assert.equal(runs.items[0].data.metrics.find((m) => m.key === 'case_count')?.value, 3);
    } finally {
      await store.close();
    }
  });
});
