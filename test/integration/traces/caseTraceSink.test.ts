// The runner's case hand-off (CaseSink) turns recorded rows into traces on either backend: an
// MLflow server gets them as MLflow traces (read back by MLflow's Python client, with the
// rendered messages and the dataset input); the embedded store builds them from the run's case
// journal, as MLflow trace JSON that MLflow's own Trace.from_dict reads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { caseTraceSink, type TraceSinkRun } from '../../../src/core/tracking/traces/traceSink';
import { caseInputs } from './caseTraceFixtures';
import { CaseJournalWriter, caseJournalPath } from '../../../src/core/eval/caseJournal';
import { readEmbeddedTraces } from '../../../src/core/tracking/local/embeddedTraces';
import { mlflowTraceId, otelTraceId } from '../../../src/core/tracking/traces/traceIds';
import { toTraceJson } from '../../../src/core/tracking/traces/traceJson';

const PROMPT = '---\nname: greet\nmodel:\n  api: chat\n---\nsystem:\nBe brief.\n\nuser:\nGreet {{name}}\n';

function sinkRun(experimentId: string): TraceSinkRun {
  const rows = caseInputs().map((i) => i.row);
  return {
    experimentId,
    plan: { user: 'tester', suiteRel: 'prompts/greet.eval.yaml', dataset: { fileName: 'greet.jsonl', hash: 'f'.repeat(64), cases: rows.filter((r) => r.repeat === 0).map((r) => ({ vars: r.vars, expected: r.expected })) as never } },
    run: {
      id: { params: { temperature: 0.2 }, datasetRel: 'prompts/greet.jsonl', git: { commit: 'abc1234' } },
      prompt: { rel: 'prompts/greet.prompty', parsed: parsePromptFile(PROMPT, 'greet.prompty') },
      model: { provider: 'openai', model: 'gpt-4o-mini' } as never,
      label: 'openai:gpt-4o-mini',
    },
  };
}

/** The rows as the runner hands them over: each in the run's case journal first, then to the sink. */
async function feed(store: TrackingStore, experimentId: string, runId: string, inputs = caseInputs()) {
  const sink = caseTraceSink(store, sinkRun(experimentId), () => ({ name: 'greet', version: '1' }));
  const journal = await CaseJournalWriter.open(caseJournalPath(store, dir, runId), { runId, total: 6, repeat: 2, promptHash: 'p', datasetHash: 'd', suiteHash: 's', model: 'openai:gpt-4o-mini' });
  for (const [index, i] of inputs.entries()) {
    const at = i.endTime!;
    await journal.append(index, i.row, at);
    sink.caseRecorded({ runId, experimentId, index, row: i.row, model: 'openai:gpt-4o-mini' });
  }
  journal.close();
  await sink.runFinished({ runId });
  assert.equal(sink.lastError, undefined, String(sink.lastError));
}

let dir: string;

describe('Case trace sink (the runner\'s hand-off) on both backends', function () {
  let server: MlflowServer;
  before(async function () {
    server = await startMlflowServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-traces-'));
  });
  after(async function () {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('MLflow server: every recorded row becomes a trace of the run, with the rendered messages and the dataset input', async function () {
    const store = new MlflowStore({ url: server.url, env: {} });
    try {
      const experimentId = await store.createExperiment('sink');
      const runId = (await store.createRun({ experimentId, runName: 'sink' })).info.runId;
      await feed(store, experimentId, runId);
      const got = await runMlflowPython<any>(server.url, `
import json, mlflow
ts = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
r = mlflow.get_run(${JSON.stringify(runId)})
model = [s for s in ts[0].data.spans if s.span_type == "CHAT_MODEL"][0]
print(json.dumps({"n": len(ts), "names": sorted({a.name for t in ts for a in t.info.assessments}), "messages": model.inputs["messages"],
  "digest": r.inputs.dataset_inputs[0].dataset.digest, "profile": r.inputs.dataset_inputs[0].dataset.profile}))`);
      assert.equal(got.n, caseInputs().length);
      assert.deepEqual(got.names, ['contains', 'expected_response', 'helpfulness']);
      assert.equal(got.messages.length, 2);
      assert.equal(got.messages[0].content, 'Be brief.');
      assert.match(got.messages[1].content, /^Greet (Ada|Grace|Linus)$/);
      assert.equal(got.digest, 'f'.repeat(36));
      assert.equal(JSON.parse(got.profile).num_rows, 3);
    } finally {
      await store.close();
    }
  });

  it('embedded store: the traces are built from the run\'s case journal, one MLflow trace JSON per row that Trace.from_dict reads', async function () {
    const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
    try {
      const experimentId = await store.createExperiment('sink');
      const runId = (await store.createRun({ experimentId, runName: 'sink' })).info.runId;
      const inputs = caseInputs();
      await feed(store, experimentId, runId, inputs);
      const files = (await store.listArtifacts(runId, 'traces')).map((f) => f.path);
      assert.deepEqual(files, ['traces/journal.json'], 'no file per batch: only the run\'s trace context');
      const traces = await readEmbeddedTraces(store, runId);
      assert.equal(traces.length, caseInputs().length, 'one trace per journal row');
      assert.deepEqual(traces.map((t) => t.traceId), caseInputs().map(({ row }) => mlflowTraceId(otelTraceId(runId, row.caseId, row.caseIndex, row.repeat))), 'the ids the server would get, oldest first');
      assert.deepEqual((traces[0].spans.find((x) => x.name === 'openai:gpt-4o-mini')?.attributes['mlflow.spanInputs'] as any)?.messages, caseInputs()[0].messages, 'the messages rendered again from the prompt');
      assert.equal(traces[0].info.request_time, new Date(inputs[0].endTime! - inputs[0].row.latencyMs!).toISOString(), 'timed from the journal: recorded at, less the latency');
      const page = await store.searchRunTraces({ experimentId, runId, maxResults: 2 });
      assert.equal(page.items.length, 2);
      assert.ok(page.nextPageToken);
      const t = toTraceJson(traces[0]) as any;
      assert.equal(t.info.trace_metadata['mlflow.sourceRun'], runId);
      assert.ok(t.data.spans.length >= 3);
      assert.equal(JSON.parse(t.data.spans[0].attributes['mlflow.spanType']), 'CHAIN');
      // MLflow's own Trace.from_dict reads it.
      const local = path.join(dir, 'trace.json');
      fs.writeFileSync(local, JSON.stringify(t));
      const py = await runMlflowPython<any>(server.url, `
import json
from mlflow.entities import Trace
t = Trace.from_dict(json.load(open(${JSON.stringify(local)})))
print(json.dumps({"spans": [s.name for s in t.data.spans], "assessments": sorted(a.name for a in t.info.assessments), "run": t.info.trace_metadata["mlflow.sourceRun"]}))`);
      assert.equal(py.run, runId);
      assert.equal(py.spans[0], 'greet');
      assert.deepEqual(py.assessments, ['contains', 'expected_response', 'helpfulness']);
    } finally {
      await store.close();
    }
  });
});
