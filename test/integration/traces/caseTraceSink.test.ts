// The runner's case hand-off (CaseSink) turns recorded rows into traces on either backend: an
// MLflow server gets them as MLflow traces (read back by MLflow's Python client, with the
// rendered messages and the dataset input); the embedded store keeps them as trace JSON artifacts.
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

async function feed(store: TrackingStore, experimentId: string, runId: string) {
  const sink = caseTraceSink(store, sinkRun(experimentId), () => ({ name: 'greet', version: '1' }));
  caseInputs().forEach((i, index) => sink.caseRecorded({ runId, experimentId, index, row: i.row, model: 'openai:gpt-4o-mini' }));
  await sink.runFinished({ runId });
  assert.equal(sink.lastError, undefined, String(sink.lastError));
}

describe('Case trace sink (the runner\'s hand-off) on both backends', function () {
  let server: MlflowServer;
  let dir: string;
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

  it('embedded store: the traces are a traces/*.jsonl artifact of the run, one MLflow trace JSON a line', async function () {
    const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
    try {
      const experimentId = await store.createExperiment('sink');
      const runId = (await store.createRun({ experimentId, runName: 'sink' })).info.runId;
      await feed(store, experimentId, runId);
      const files = await store.listArtifacts(runId, 'traces');
      assert.equal(files.length, 1, 'one artifact for the batch');
      const lines = Buffer.from(await store.downloadArtifact(runId, files[0].path)).toString('utf8').trim().split('\n');
      assert.equal(lines.length, caseInputs().length, 'one trace a line');
      const t = JSON.parse(lines[0]);
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
    } finally {
      await store.close();
    }
  });
});
