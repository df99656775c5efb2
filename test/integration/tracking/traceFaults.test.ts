// Trace writes survive a server outage: the real MLflow server is killed mid-run (SIGKILL, as a
// crash) and restarted on the same port and backing store while cases keep finishing; the trace
// batches that could not be sent wait in the journal and go out once it is back. MLflow's own
// Python client then sees every case's trace exactly once, each with its assessments exactly once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { runSuite, type CaseSink } from '../../../src/core/eval/runner';
import { makeEvalWorkspace, type EvalWorkspace } from '../eval/evalWorkspace';

const CASES = 300;
const KILL_AT = 60;
const RESTART_AT = 180;

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Trace writes through a server outage (journal)', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let ws: EvalWorkspace;
  let journalDir: string;
  before(async function () {
    server = await startMlflowServer();
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-trace-journal-'));
    store = new MlflowStore({ url: server.url, env: {}, journalDir, maxRetries: 1, retryBaseMs: 20 });
    ws = await makeEvalWorkspace({ store, cases: CASES });
  });
  after(async function () {
    await ws?.cleanup();
    await store?.close();
    await server?.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it('every case\'s trace arrives exactly once, with each assessment once, after a kill and restart mid-run', async function () {
    let recorded = 0;
    let journaledDuringOutage = 0;
    // Runs before the trace sink on each recorded case: the outage starts after KILL_AT cases and
    // ends after RESTART_AT, so the batches in between (and the run's heartbeat) meet a dead server.
    const outage: CaseSink = {
      async caseRecorded() {
        recorded++;
        if (recorded === KILL_AT) await server.kill();
        if (recorded === RESTART_AT) {
          await until(() => store.pendingCount() > 0, 'a trace batch to be journaled while the server is down');
          journaledDuringOutage = store.pendingCount();
          await server.restart();
        }
      },
    };
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.jsonl
concurrency: 4
models:
  - provider: echo
scorers:
  - type: icontains
    value: "{{word}}"
`);
    const res = await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, caseSinks: [outage] });
    const { runId, experimentId, status } = res.runs[0];
    assert.equal(status, 'FINISHED');
    assert.ok(journaledDuringOutage > 0, 'the outage journaled writes');
    assert.equal(store.pendingCount(), 0, 'the journal drained once the server was back');

    const got = await runMlflowPython<{ n: number; ids: number; keys: string[]; perTrace: string[][]; assessmentIds: number; assessments: number }>(server.url, `
import json, mlflow
ts = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
aids = [a.assessment_id for t in ts for a in t.info.assessments]
print(json.dumps({"n": len(ts), "ids": len({t.info.trace_id for t in ts}),
  "keys": sorted({t.info.tags["promptledger.caseId"] for t in ts}),
  "perTrace": sorted({tuple(sorted(a.name for a in t.info.assessments)) for t in ts}),
  "assessmentIds": len(set(aids)), "assessments": len(aids)}))`);
    assert.equal(got.n, CASES, 'one trace per case, none lost');
    assert.equal(got.ids, CASES, 'no trace doubled');
    assert.equal(got.keys.length, CASES);
    assert.deepEqual(got.perTrace, [['expected_response', 'icontains']], 'each trace has its expectation and feedback once');
    assert.equal(got.assessments, CASES * 2);
    assert.equal(got.assessmentIds, CASES * 2);
  });
});
