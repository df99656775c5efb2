// Case traces on the real MLflow server, read back with MLflow's own Python client: one trace
// per case × repeat linked to the run, the spans, the expectation and feedback assessments, the
// dataset as a run input and the trace ↔ prompt version link, as mlflow.genai.evaluate has them.
import assert from 'node:assert/strict';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { MlflowHttp } from '../../../src/core/tracking/mlflow/httpClient';
import { MlflowTraceWriter } from '../../../src/core/tracking/traces/mlflowTraceWriter';
import { caseInputs, runContext, SCORERS } from './caseTraceFixtures';

interface PyTrace {
  id: string; state: string; sourceRun: string; name: string; tags: Record<string, string>; request: string; response: string; durationMs: number; tokens: Record<string, number> | null;
  spans: { name: string; type: string; parent: string | null; inputs: unknown; outputs: unknown; status: string; attrs: Record<string, unknown> }[];
  assessments: { kind: string; name: string; value: unknown; rationale: string | null; source: string; sourceId: string; meta: Record<string, string>; spanId: string | null }[];
}

const PY_READ = (runId: string, experimentId: string) => `
import json, mlflow
traces = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
linked = mlflow.search_traces(locations=[${JSON.stringify(experimentId)}], filter_string="prompt = 'greet/1'", return_type="list")
run = mlflow.get_run(${JSON.stringify(runId)})
def span(s):
    return {"name": s.name, "type": s.span_type, "parent": s.parent_id, "inputs": s.inputs, "outputs": s.outputs,
            "status": s.status.status_code.value, "attrs": {k: s.get_attribute(k) for k in s.attributes}}
out = []
for t in traces:
    i = t.info
    out.append({"id": i.trace_id, "state": str(i.state), "sourceRun": i.trace_metadata.get("mlflow.sourceRun"), "name": i.tags.get("mlflow.traceName"),
      "tags": i.tags, "request": i.request_preview, "response": i.response_preview, "durationMs": i.execution_duration, "tokens": i.token_usage,
      "spans": [span(s) for s in t.data.spans],
      "assessments": [{"kind": type(a).__name__, "name": a.name, "value": a.value, "rationale": a.rationale, "source": a.source.source_type,
                       "sourceId": a.source.source_id, "meta": a.metadata, "spanId": a.span_id} for a in i.assessments]})
inputs = [{"name": d.dataset.name, "digest": d.dataset.digest, "source_type": d.dataset.source_type, "source": d.dataset.source,
           "schema": d.dataset.schema, "profile": d.dataset.profile, "tags": {t.key: t.value for t in d.tags}} for d in run.inputs.dataset_inputs]
print(json.dumps({"traces": out, "linked": sorted(t.info.trace_id for t in linked), "inputs": inputs}, default=str))
`;

describe('Case traces on a real MLflow server, read by MLflow\'s Python client', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let http: MlflowHttp;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    http = new MlflowHttp({ url: server.url, env: {} });
    // The registered prompt version the traces link to, registered by MLflow's own client.
    await runMlflowPython(server.url, 'import json, mlflow\nmlflow.genai.register_prompt("greet", "Greet {{name}}")\nprint(json.dumps(1))');
  });
  after(async function () {
    http?.close();
    await store?.close();
    await server?.stop();
  });

  it('writes one trace per case × repeat with spans, assessments, the run link, the prompt link and the dataset input', async function () {
    const experimentId = await store.createExperiment('case-traces');
    const run = await store.createRun({ experimentId, runName: 'greet · openai:gpt-4o-mini' });
    const runId = run.info.runId;
    const ctx = runContext(experimentId, runId, { name: 'greet', version: '1' });
    const inputs = caseInputs();
    const writer = new MlflowTraceWriter(http);
    const written = await writer.writeCases(ctx, inputs);
    // Written again (a retried batch): the same traces and assessments, nothing doubled.
    await writer.writeCases(ctx, inputs);
    await writer.logDatasetInput(runId, { name: 'greet.jsonl', hash: 'sha256:' + 'ab12'.repeat(16), path: 'prompts/greet.jsonl', commit: '3f2a9c1', rows: 3, variables: ['name', 'style'], hasExpectations: true });

    const got = await runMlflowPython<{ traces: PyTrace[]; linked: string[]; inputs: any[] }>(server.url, PY_READ(runId, experimentId));
    assert.equal(got.traces.length, inputs.length, 'one trace per case × repeat');
    assert.deepEqual(got.traces.map((t) => t.id).sort(), written.map((t) => t.traceId).sort());
    assert.deepEqual(got.linked, written.map((t) => t.traceId).sort(), 'every trace is linked to greet/1');

    const byKey = new Map(got.traces.map((t) => [`${t.tags['promptledger.caseId']}#${t.tags['promptledger.repeat']}`, t]));
    const ok = byKey.get('case-1#0')!;
    assert.equal(ok.state, 'OK');
    assert.equal(ok.sourceRun, runId);
    assert.equal(ok.name, 'greet');
    assert.equal(ok.tags['mlflow.linkedPrompts'], '[{"name":"greet","version":"1"}]');
    assert.equal(ok.request, '{"name": "Ada", "style": "short"}');
    assert.equal(ok.response, '"Hello Ada"');
    assert.equal(ok.durationMs, 150);
    assert.deepEqual(ok.tokens, { input_tokens: 12, output_tokens: 4, total_tokens: 16 });

    // Spans: the case (root), the render, the model call and one per scorer.
    assert.deepEqual(ok.spans.map((s) => [s.name, s.type]), [['greet', 'CHAIN'], ['render prompt', 'PARSER'], ['openai:gpt-4o-mini', 'CHAT_MODEL'], [SCORERS.code, 'EVALUATOR'], [SCORERS.judge, 'EVALUATOR']]);
    const [root, render, model] = ok.spans;
    assert.equal(root.parent, null);
    assert.deepEqual(root.inputs, { name: 'Ada', style: 'short' });
    assert.equal(root.outputs, 'Hello Ada');
    assert.ok(ok.spans.slice(1).every((s) => s.parent !== null));
    assert.deepEqual(render.outputs, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Greet Ada' }]);
    assert.deepEqual(model.inputs, { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Greet Ada' }], temperature: 0.2, max_tokens: 64 });
    assert.deepEqual(model.attrs['mlflow.chat.tokenUsage'], { input_tokens: 12, output_tokens: 4, total_tokens: 16 });
    assert.equal(model.attrs['mlflow.llm.provider'], 'openai');
    assert.equal(model.attrs['mlflow.llm.model'], 'gpt-4o-mini');
    assert.equal(model.attrs['promptledger.cached'], true);
    assert.equal(model.attrs['promptledger.latencyMs'], 120);

    // Assessments: the expectation and one feedback per scorer, on the root span, from this run.
    const a = (t: PyTrace) => [...t.assessments].sort((x, y) => x.name.localeCompare(y.name));
    assert.deepEqual(a(ok).map((x) => [x.kind, x.name, x.value, x.rationale, x.source, x.sourceId]), [
      ['Feedback', SCORERS.code, 1, 'output contains "Hello Ada"', 'CODE', SCORERS.code],
      ['Expectation', 'expected_response', 'Hello Ada', null, 'HUMAN', 'tester'],
      ['Feedback', SCORERS.judge, 0.8, 'Greets the person by name.', 'LLM_JUDGE', SCORERS.judge],
    ]);
    const rootSpanId = written.find((t) => t.traceId === ok.id)!.spans[0].spanId;
    for (const x of ok.assessments) {
      assert.equal(x.meta['mlflow.assessment.sourceRunId'], runId);
      assert.equal(x.spanId, rootSpanId);
    }
    const second = byKey.get('case-1#1')!;
    assert.deepEqual(a(second).map((x) => [x.name, x.value]), [[SCORERS.code, 0], ['expected_response', 'Hello Ada'], [SCORERS.judge, 0.8]]);

    // A provider error: an ERROR trace whose model span carries the error, no feedback.
    const failed = byKey.get('case-3#0')!;
    assert.equal(failed.state, 'ERROR');
    assert.deepEqual(failed.spans.map((s) => s.name), ['greet', 'render prompt', 'openai:gpt-4o-mini']);
    assert.equal(failed.spans[2].status, 'ERROR');
    assert.deepEqual(failed.assessments, []);

    // The dataset as the run's input.
    assert.equal(got.inputs.length, 1);
    const d = got.inputs[0];
    assert.equal(d.name, 'greet.jsonl');
    assert.equal(d.digest, 'ab12'.repeat(9));
    assert.deepEqual(d.tags, { 'mlflow.data.context': 'eval' });
    assert.equal(JSON.parse(d.profile).num_rows, 3);
    assert.equal(JSON.parse(d.source).uri, 'prompts/greet.jsonl@3f2a9c1');
    assert.deepEqual(JSON.parse(d.schema).mlflow_colspec.map((c: { name: string }) => c.name), ['inputs', 'expectations']);
  });
});
