// `prompt-ledger sync`: an eval recorded in the workspace store by the CLI, pushed to a real
// MLflow server by the CLI; the second sync creates nothing.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MlflowStore } from '../../src/core/tracking/mlflow/mlflowStore';
import { startMlflowServer } from '../helpers/mlflowServer';

const root = path.resolve(__dirname, '..', '..');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], {
  cwd, encoding: 'utf8', env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' },
});

describe('prompt-ledger sync (built dist/cli.js, real MLflow server)', function () {
  let server: Awaited<ReturnType<typeof startMlflowServer>>;
  let dir: string;
  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
    server = await startMlflowServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cli-sync-'));
    fs.cpSync(path.join(root, 'examples'), dir, { recursive: true });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pushes the eval runs once, and a second sync creates nothing', async () => {
    const evalRun = cli(['eval', 'summarize.eval.yaml'], dir);
    assert.equal(evalRun.status, 0, evalRun.stderr);
    const first = cli(['sync', '--to', server.url], dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /runs 1 new/);
    const second = cli(['sync', '--to', server.url], dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /runs 0 new, 0 updated, 1 unchanged/);

    const remote = new MlflowStore({ url: server.url, env: {} });
    const exp = await remote.getExperimentByName('summarize');
    assert.ok(exp, 'experiment on the server');
    const runs = await remote.searchRuns({ experimentIds: [exp.experimentId] });
    assert.equal(runs.items.length, 1);
    assert.equal(runs.items[0].data.metrics.find((m) => m.key === 'pass_rate')?.value, 0.875);
    await remote.close();
  });

  it('says what to fix without a target', () => {
    const r = cli(['sync'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--to http/);
  });
});
