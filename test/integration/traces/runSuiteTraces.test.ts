// End to end through the runner: runSuite on a real MLflow server records every case × repeat
// as a trace of its run (through the recorder's hand-off), linked to the registered prompt
// version, with the dataset as the run's input; MLflow's Python client reads them back.
import assert from 'node:assert/strict';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { runSuite } from '../../../src/core/eval/runner';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { makeEvalWorkspace, WORDS, type EvalWorkspace } from '../eval/evalWorkspace';

/** The echo model scored by one CODE scorer; `extra` adds suite lines. */
const suiteText = (extra = '') => `prompt: p.prompty
dataset: cases.jsonl
${extra}models:
  - provider: echo
scorers:
  - type: icontains
    value: "{{word}}"
`;

describe('runSuite writes case traces to a real MLflow server', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let ws: EvalWorkspace;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    ws = await makeEvalWorkspace({ store });
  });
  after(async function () {
    await ws?.cleanup();
    await store?.close();
    await server?.stop();
  });

  it('one trace per case × repeat, with feedback, expectation, dataset input and the run link', async function () {
    const suite = ws.suite(suiteText('repeat: 2\n'));
    const res = await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir });
    assert.equal(res.runs.length, 1);
    const { runId, experimentId } = res.runs[0];
    const got = await runMlflowPython<any>(server.url, `
import json, mlflow
ts = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
r = mlflow.get_run(${JSON.stringify(runId)})
print(json.dumps({"n": len(ts), "keys": sorted(t.info.tags["promptledger.caseId"] + "#" + t.info.tags["promptledger.repeat"] for t in ts),
  "assess": sorted({(a.name, type(a).__name__, a.source.source_type) for t in ts for a in t.info.assessments}),
  "spans": [[s.span_type for s in t.data.spans] for t in ts][0],
  "inputs": [(d.dataset.name, d.dataset.digest) for d in r.inputs.dataset_inputs]}))`);
    assert.equal(got.n, WORDS.length * 2);
    assert.deepEqual(got.keys, WORDS.flatMap((_, i) => [`c${i}#0`, `c${i}#1`]).sort());
    assert.deepEqual(got.assess, [['expected_response', 'Expectation', 'HUMAN'], ['icontains', 'Feedback', 'CODE']].sort());
    assert.deepEqual(got.spans, ['CHAIN', 'PARSER', 'CHAT_MODEL', 'EVALUATOR']);
    assert.deepEqual(got.inputs, [['cases.jsonl', res.dataset.hash.slice(0, 36)]]);
  });

  it('with deferTraces, returns once the results are recorded and hands over the traces still on their way', async function () {
    // Trace writes wait at a gate the test opens: runSuite must return while they are held.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let written = 0;
    const gated = new Proxy(store, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop === 'logTraces') return async (...args: unknown[]) => { await gate; await (v as (...a: unknown[]) => Promise<void>).apply(target, args); written++; };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as TrackingStore;
    const suite = ws.suite(suiteText());
    const res = await runSuite(suite, { store: gated, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, deferTraces: true });
    assert.equal(res.runs[0].status, 'FINISHED');
    // (Without deferTraces runSuite waits for the gate and this test times out.)
    assert.equal(written, 0, 'no trace batch was written when runSuite returned');
    open();
    assert.deepEqual(await res.traces, { traces: WORDS.length });
    const { runId, experimentId } = res.runs[0];
    const n = await runMlflowPython<number>(server.url, `
import json, mlflow
print(json.dumps(len(mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list"))))`);
    assert.equal(n, WORDS.length);
  });
});
