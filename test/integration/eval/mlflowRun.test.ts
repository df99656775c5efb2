import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { openTrackingStore } from '../../../src/core/tracking/trackingUri';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { runSuite } from '../../../src/core/eval/runner';
import { makeEvalWorkspace, metricsOf, paramsOf, tagsOf, type EvalWorkspace } from './evalWorkspace';
import { registerPrompt } from '../../../src/core/registry/promptStore';

describe('eval runs logged to a real MLflow server', function () {
  let server: MlflowServer;
  let store: TrackingStore;
  let ws: EvalWorkspace;
  before(async () => {
    server = await startMlflowServer();
    store = await openTrackingStore({ kind: 'mlflow', url: server.url, source: 'setting' });
    ws = await makeEvalWorkspace({ store });
  });
  after(async () => {
    await ws?.cleanup();
    await store?.close();
    await server?.stop();
  });

  it('records params, metrics, tags, artifacts and the linked prompt; MLflow reads them back', async () => {
    const template = fs.readFileSync(path.join(ws.dir, 'p.prompty'), 'utf8');
    const registered = await registerPrompt(store, 'shout', template, { commitMessage: 'v1' });
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: echo
  - provider: echo
    label: echo-b
scorers:
  - type: icontains
    value: "{{word}}"
  - type: pii
thresholds:
  pass_rate: 1
tags:
  team: evals
`);
    const res = await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir });
    assert.equal(res.status, 'FINISHED');
    assert.equal(res.passed, true);
    assert.ok(res.parentRunId);
    const child = await store.getRun(res.runs[0].runId);
    assert.equal(child.info.status, 'FINISHED');
    const m = metricsOf(child);
    assert.equal(m.pass_rate, 1);
    assert.equal(m['icontains/mean'], 1);
    assert.equal(m['pii/mean'], 1);
    assert.equal(m.error_count, 0);
    const p = paramsOf(child);
    assert.equal(p.model, 'echo');
    assert.equal(p.dataset_size, '6');
    const t = tagsOf(child);
    assert.equal(t['mlflow.parentRunId'], res.parentRunId);
    assert.equal(t.team, 'evals');
    assert.deepEqual(JSON.parse(t['mlflow.loggedArtifacts']), [{ path: 'eval_results_table.json', type: 'table' }]);
    assert.deepEqual(JSON.parse(t['mlflow.linkedPrompts']), [{ name: 'shout', version: registered.version }]);
    assert.deepEqual(res.runs[0].linkedPrompt, { name: 'shout', version: registered.version });

    const files = (await store.listArtifacts(child.info.runId)).map((f) => f.path).sort();
    assert.deepEqual(files, ['dataset', 'eval_results_table.json', 'prompt', 'summary.json']);
    const table = JSON.parse(Buffer.from(await store.downloadArtifact(child.info.runId, 'eval_results_table.json')).toString('utf8'));
    assert.equal(table.data.length, 6);
    assert.ok(table.columns.includes('icontains/score'));
    const summary = JSON.parse(Buffer.from(await store.downloadArtifact(child.info.runId, 'summary.json')).toString('utf8'));
    assert.equal(summary.status, 'FINISHED');
    assert.equal((await store.getRun(res.parentRunId!)).info.status, 'FINISHED');
  });
});
