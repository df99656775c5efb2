// A case whose model call failed, traced the way mlflow.genai.evaluate traces a row whose
// predict_fn raised: both are written to the same real MLflow server (ours by the trace writer,
// MLflow's by evaluate itself) and read back with MLflow's Python client, and their shapes must
// match: ERROR state, no response, the root span's ERROR status and exception event, the
// expectation, and per scorer a feedback with an error and no value.
import assert from 'node:assert/strict';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { MlflowHttp } from '../../../src/core/tracking/mlflow/httpClient';
import { MlflowTraceWriter } from '../../../src/core/tracking/traces/mlflowTraceWriter';
import { runContext, SCORERS } from './caseTraceFixtures';

interface Shape {
  state: string; response: string | null; outputsMeta: string | null;
  root: { status: string; description: string; events: { name: string; keys: string[] }[]; outputs: unknown };
  assessments: { kind: string; name: string; value: unknown; hasError: boolean; errorMessage: string | null; source: string }[];
}

/** The comparable shape of every trace of a run, as MLflow's client reads it. */
const PY_SHAPES = (runId: string) => `
import json, mlflow
out = []
run = mlflow.get_run(${JSON.stringify(runId)})
for t in mlflow.search_traces(run_id=run.info.run_id, locations=[run.info.experiment_id], return_type="list"):
    i = t.info
    root = [s for s in t.data.spans if s.parent_id is None][0]
    out.append({"state": str(i.state), "response": i.response_preview, "outputsMeta": i.trace_metadata.get("mlflow.traceOutputs"),
      "root": {"status": root.status.status_code.value, "description": root.status.description,
               "events": [{"name": e.name, "keys": sorted(e.attributes.keys())} for e in root.events], "outputs": root.outputs},
      "assessments": sorted([{"kind": type(a).__name__, "name": a.name, "value": a.value, "hasError": getattr(a, "error", None) is not None,
                              "errorMessage": a.error.error_message if getattr(a, "error", None) else None, "source": a.source.source_type}
                             for a in i.assessments], key=lambda a: a["name"])})
print(json.dumps(out, default=str))
`;

const PY_EVALUATE = `
import json, mlflow
from mlflow.genai.scorers import scorer
mlflow.set_experiment("evaluate-errored-row")
@scorer
def ${SCORERS.code}(outputs):
    return "Hello" in outputs  # raises on the failed row's None output
@scorer
def ${SCORERS.judge}(outputs):
    return len(outputs) / 10
@mlflow.trace(name="greet")
def predict(name, style):
    if name == "Linus":
        raise RuntimeError("429 Too Many Requests")
    return "Hello " + name
# evaluate checks its predict_fn on the first row, so a working row comes first.
r = mlflow.genai.evaluate(data=[{"inputs": {"name": "Ada", "style": "short"}, "expectations": {"expected_response": "Hello Ada"}},
                                {"inputs": {"name": "Linus", "style": "short"}, "expectations": {"expected_response": "Hello Linus"}}],
                          predict_fn=predict, scorers=[${SCORERS.code}, ${SCORERS.judge}])
print(json.dumps(r.run_id))
`;

describe('An errored case\'s trace matches what mlflow.genai.evaluate records for a raised prediction', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let http: MlflowHttp;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    http = new MlflowHttp({ url: server.url, env: {} });
  });
  after(async function () {
    http?.close();
    await store?.close();
    await server?.stop();
  });

  it('ERROR state, no response, the exception on the root span, the expectation and an errored feedback per scorer', async function () {
    const evaluateRun = await runMlflowPython<string>(server.url, PY_EVALUATE);
    const theirs = (await runMlflowPython<Shape[]>(server.url, PY_SHAPES(evaluateRun))).find((t) => t.state === 'ERROR');
    assert.ok(theirs, 'evaluate recorded the raised row as an ERROR trace');

    const experimentId = await store.createExperiment('errored-case');
    const runId = (await store.createRun({ experimentId, runName: 'greet · openai:gpt-4o-mini' })).info.runId;
    const start = Date.now() - 10_000;
    await new MlflowTraceWriter(http).writeCases({ ...runContext(experimentId, runId), scorerNames: [SCORERS.code, SCORERS.judge] }, [{
      row: { caseId: 'case-3', caseIndex: 0, repeat: 0, vars: { name: 'Linus', style: 'short' }, expected: 'Hello Linus', scores: [], score: 0, pass: false, error: { kind: 'rate_limit', message: '429 Too Many Requests' } },
      messages: [{ role: 'user', content: 'Greet Linus' }], startTime: start, endTime: start + 100,
    }]);
    const [ours] = await runMlflowPython<Shape[]>(server.url, PY_SHAPES(runId));

    assert.equal(ours.state, theirs.state);
    assert.equal(ours.state, 'ERROR');
    assert.equal(ours.response, theirs.response, 'no response preview');
    assert.equal(ours.outputsMeta, theirs.outputsMeta, 'empty trace outputs');
    assert.equal(ours.root.status, theirs.root.status);
    assert.equal(ours.root.outputs, theirs.root.outputs);
    // MLflow's description is "<exception type>: <message>"; ours "<error kind>: <message>".
    assert.equal(ours.root.description, 'rate_limit: 429 Too Many Requests');
    assert.match(theirs.root.description, /^RuntimeError: 429 Too Many Requests$/);
    const eventKeys = (s: Shape) => s.root.events.map((e) => ({ name: e.name, keys: e.keys.filter((k) => k !== 'exception.stacktrace') }));
    assert.deepEqual(eventKeys(ours), eventKeys(theirs), 'the OpenTelemetry exception event');

    const comparable = (s: Shape) => s.assessments.map(({ kind, name, value, hasError, source }) => ({ kind, name, value, hasError, source }));
    assert.deepEqual(comparable(ours), comparable(theirs));
    assert.deepEqual(comparable(ours).map((a) => [a.kind, a.name, a.hasError]), [
      ['Feedback', SCORERS.code, true], ['Expectation', 'expected_response', false], ['Feedback', SCORERS.judge, true],
    ]);
    for (const a of ours.assessments.filter((x) => x.hasError)) assert.match(String(a.errorMessage), /rate_limit: 429 Too Many Requests/);
  });
});
