// Sync pushes the embedded store's case traces (with spans and assessments) and dataset inputs to
// a real MLflow server, re-pointed at the remote run and prompt version; MLflow's Python client
// reads them back. A second sync sends nothing; a run that gained traces is pushed again and the
// server still holds each trace and assessment exactly once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { syncStore } from '../../../src/core/tracking/sync/syncToServer';
import { buildCaseTrace } from '../../../src/core/tracking/traces/caseTrace';
import { registerPrompt } from '../../../src/core/registry/promptStore';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { caseInputs, runContext } from '../traces/caseTraceFixtures';

interface Seen { n: number; ids: number; assessments: number; assessmentIds: number; sourceRuns: string[]; prompts: string[]; digests: string[] }

describe('sync pushes case traces to an MLflow server', function () {
  this.timeout(240_000);
  let server: MlflowServer;
  let remote: MlflowStore;
  let local: EmbeddedStore;
  let dir: string;
  before(async function () {
    server = await startMlflowServer();
    remote = new MlflowStore({ url: server.url, env: {} });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-sync-traces-'));
    local = await openEmbeddedStore(dir);
  });
  after(async function () {
    await local?.close();
    await remote?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const seen = (runId: string, experimentId: string) => runMlflowPython<Seen>(server.url, `
import json, mlflow
ts = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
aids = [a.assessment_id for t in ts for a in t.info.assessments]
r = mlflow.get_run(${JSON.stringify(runId)})
print(json.dumps({"n": len(ts), "ids": len({t.info.trace_id for t in ts}), "assessments": len(aids), "assessmentIds": len(set(aids)),
  "sourceRuns": sorted({t.info.trace_metadata.get("mlflow.sourceRun") for t in ts}),
  "prompts": sorted({t.info.tags.get("mlflow.linkedPrompts", "") for t in ts}),
  "digests": [d.dataset.digest for d in r.inputs.dataset_inputs]}))`);

  it('sends each trace with its assessments once, and again only when the run gained traces', async function () {
    await registerPrompt(local, 'greet-sync', 'Greet {{name}}');
    const exp = await local.createExperiment('sync-traces');
    const runId = (await local.createRun({ experimentId: exp, runName: 'with-traces' })).info.runId;
    const ctx = runContext(exp, runId, { name: 'greet-sync', version: '1' });
    const traces = caseInputs().map((i) => buildCaseTrace(ctx, i));
    await local.logTraces({ runId, experimentId: exp, traces, linkedPrompt: { name: 'greet-sync', version: '1' } });
    await local.logDatasetInput(runId, { name: 'greet.jsonl', hash: 'e'.repeat(64), rows: 3, variables: ['name'], hasExpectations: true });
    const assessments = traces.reduce((k, t) => k + t.assessments.length, 0);

    const first = await syncStore(local, remote);
    assert.equal(first.traces.sent, traces.length);
    const remoteExp = (await remote.getExperimentByName('sync-traces'))!.experimentId;
    const remoteRun = (await remote.searchRuns({ experimentIds: [remoteExp] })).items[0].info.runId;
    let got = await seen(remoteRun, remoteExp);
    assert.deepEqual(got, {
      n: traces.length, ids: traces.length, assessments, assessmentIds: assessments, sourceRuns: [remoteRun],
      prompts: [JSON.stringify([{ name: 'greet-sync', version: '1' }])], digests: ['e'.repeat(36)],
    });
    // The trace files are not copied as plain artifacts: on a server they are traces.
    assert.equal((await remote.listArtifacts(remoteRun)).some((f) => f.path === 'traces'), false);

    assert.equal((await syncStore(local, remote)).traces.sent, 0, 'unchanged runs send nothing');

    const more = caseInputs().slice(0, 1).map((i) => ({ ...i, row: { ...i.row, caseId: 'case-9', caseIndex: 9 } }));
    const extra = more.map((i) => buildCaseTrace(ctx, i));
    await local.logTraces({ runId, experimentId: exp, traces: extra });
    assert.equal((await syncStore(local, remote)).traces.sent, traces.length + 1);
    got = await seen(remoteRun, remoteExp);
    const total = assessments + extra[0].assessments.length;
    assert.deepEqual([got.n, got.ids, got.assessments, got.assessmentIds], [traces.length + 1, traces.length + 1, total, total]);
  });

  it('leaves out a prompt link the server has no version for, instead of failing the sync', async function () {
    const exp = await local.createExperiment('sync-traces-unlinked');
    const runId = (await local.createRun({ experimentId: exp, runName: 'ghost-prompt' })).info.runId;
    const traces = caseInputs().slice(0, 2).map((i) => buildCaseTrace(runContext(exp, runId, { name: 'never-registered', version: '3' }), i));
    await local.logTraces({ runId, experimentId: exp, traces, linkedPrompt: { name: 'never-registered', version: '3' } });
    assert.equal((await syncStore(local, remote)).traces.sent, 2);
    const remoteExp = (await remote.getExperimentByName('sync-traces-unlinked'))!.experimentId;
    const remoteRun = (await remote.searchRuns({ experimentIds: [remoteExp] })).items[0].info.runId;
    const got = await seen(remoteRun, remoteExp);
    assert.deepEqual([got.n, got.prompts], [2, ['']]);
  });
});
