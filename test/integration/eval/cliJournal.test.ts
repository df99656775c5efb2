// The CLI keeps what a dead MLflow server could not take: the server dies mid-run, the eval still
// finishes, names the writes it kept in .promptledger/journal, and the resume it names (server back on
// the same port and data) delivers them first and calls the model for nothing, so the run ends
// FINISHED with every case's trace, as MLflow's own Python client reads it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { spawnCli } from './resumeFaultHarness';
import { wireWorkspace } from './cliInProcess';

const CASES = 40;

/** The real CLI process (as a user runs it), with MLflow's retry settings short so the outage is quick. */
async function cli(args: string[], cwd: string, trackingUri: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05', MLFLOW_HTTP_REQUEST_TIMEOUT: '5' });
  try {
    return await spawnCli(['eval', ...args], cwd, trackingUri).done;
  } finally {
    for (const k of ['MLFLOW_HTTP_REQUEST_MAX_RETRIES', 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', 'MLFLOW_HTTP_REQUEST_TIMEOUT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

describe('eval CLI through an MLflow outage (journal)', function () {
  this.timeout(240_000);
  let server: MlflowServer;
  let fake: FakeLlmServer;
  let dir: string | undefined;
  before(async () => {
    [server, fake] = await Promise.all([startMlflowServer(), startFakeLlmServer({ recordBodies: false })]);
  });
  after(async () => {
    await Promise.all([server?.stop(), fake?.stop()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the writes a dead server missed and a resume delivers them, exactly once, with no model call repeated', async () => {
    let served = 0;
    let killed: Promise<void> | undefined;
    fake.setBehavior(async ({ prompt }) => {
      // The server dies after the run exists and some cases are done; later writes meet no one.
      if (++served === 10) killed = server.kill();
      return { type: 'reply', text: prompt, latencyMs: 5 };
    });
    dir = wireWorkspace(fake.url, CASES, { suiteExtra: 'concurrency: 2\n' });
    const first = await cli(['wide.eval.yaml', '--no-cache'], dir, server.url);
    await killed;
    assert.notEqual(first.code, 0);
    const runId = /resume run ([0-9a-f]{32})/.exec(first.stdout + first.stderr)?.[1];
    assert.ok(runId, `names the run to resume: ${first.stdout}${first.stderr}`);
    assert.match(first.stdout + first.stderr, /Every case result is kept in the case journal/);
    assert.match(first.stderr, /could not take \d+ writes? \(run results, traces\) yet; they are kept in \.promptledger[/\\]journal/, first.stderr);
    const journal = path.join(dir, '.promptledger', 'journal');
    assert.ok(fs.readdirSync(journal).length > 0, 'writes kept on disk');

    await server.restart();
    fake.setBehavior(async ({ prompt }) => ({ type: 'reply', text: prompt }));
    const second = await cli(['wide.eval.yaml', '--resume', runId], dir, server.url);
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.doesNotMatch(second.stderr, /could not take/);

    const got = await runMlflowPython<{ runs: { status: string; traces: number; ids: number; cases: number | null }[] }>(server.url, `
import json, mlflow
exp = [e for e in mlflow.search_experiments() if e.name != "Default"][0]
runs = mlflow.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"], output_format="list")
out = []
for r in runs:
    ts = mlflow.search_traces(run_id=r.info.run_id, locations=[exp.experiment_id], return_type="list")
    out.append({"status": r.info.status, "traces": len(ts), "ids": len({t.info.trace_id for t in ts}), "cases": r.data.metrics.get("case_count")})
print(json.dumps({"runs": out}))`);
    assert.equal(got.runs.length, 1, JSON.stringify(got));
    assert.equal(fake.requests.length, CASES, 'the resume called the model for nothing');
    const [runOne] = got.runs;
    assert.equal(runOne.status, 'FINISHED', 'the first run\'s final status arrived from the journal');
    assert.equal(runOne.cases, CASES);
    assert.equal(runOne.traces, CASES, 'every case\'s trace arrived');
    assert.equal(runOne.ids, CASES, 'none twice');
  });
});
