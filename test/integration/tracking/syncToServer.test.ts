// Sync from the embedded store to a real MLflow server (pinned 3.17.2, sqlite), read back over REST.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { SYNCED_FROM_TAG, SyncAbortedError, syncStore } from '../../../src/core/tracking/sync/syncToServer';
import type { Run } from '../../../src/core/tracking/types';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { getPrompt, registerPrompt } from '../../../src/core/registry/promptStore';

const tagOf = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

describe('sync embedded store → MLflow server', function () {
  this.timeout(240_000);
  let server: MlflowServer;
  let remote: MlflowStore;
  const dirs: string[] = [];
  const stores: EmbeddedStore[] = [];

  async function freshLocal(): Promise<EmbeddedStore> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-sync-'));
    dirs.push(dir);
    const s = await openEmbeddedStore(dir);
    stores.push(s);
    return s;
  }

  async function remoteRuns(experimentName: string): Promise<Run[]> {
    const exp = await remote.getExperimentByName(experimentName);
    assert.ok(exp, `experiment ${experimentName} on the server`);
    return (await remote.searchRuns({ experimentIds: [exp.experimentId], runViewType: 'ALL', maxResults: 1000 })).items;
  }

  before(async function () {
    server = await startMlflowServer();
    remote = new MlflowStore({ url: server.url, env: {} });
  });
  after(async function () {
    for (const s of stores) await s.close();
    await remote?.close();
    await server?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('pushes everything once; a second sync creates nothing; a later change is pushed as an update', async function () {
    const local = await freshLocal();
    const exp = await local.createExperiment('sync-full', [{ key: 'team', value: 'ml' }]);
    const runIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await local.createRun({ experimentId: exp, runName: `run-${i}`, startTime: 1_700_000_000_000 + i, tags: [{ key: 'k', value: String(i) }] });
      runIds.push(run.info.runId);
      await local.logBatch(run.info.runId, {
        params: [{ key: 'model', value: `m${i}` }],
        metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: 10 - step - i, timestamp: 1000 + step, step })),
      });
      await local.uploadArtifact(run.info.runId, 'eval/eval_results_table.json', JSON.stringify({ i }));
      await local.uploadArtifact(run.info.runId, 'prompt.txt', `prompt ${i} ünï`);
      await local.updateRun(run.info.runId, { status: 'FINISHED', endTime: 1_700_000_100_000 + i });
    }
    await local.deleteRun(runIds[4]);
    await local.createRegisteredModel('sync-model', { description: 'd', tags: [{ key: 'owner', value: 'me' }] });
    const [r0] = (await local.searchRuns({ experimentIds: [exp], filter: "attributes.run_name = 'run-0'" })).items;
    await local.createModelVersion('sync-model', { source: `${r0.info.artifactUri}/model`, runId: r0.info.runId, description: 'v1' });
    await local.setAlias('sync-model', 'champion', '1');
    await registerPrompt(local, 'sync-prompt', 'Hello {{name}}', { commitMessage: 'first' });
    await registerPrompt(local, 'sync-prompt', 'Hi {{name}}!', { commitMessage: 'second' });
    await local.setAlias('sync-prompt', 'production', '2');
    await local.linkPromptToRun(runIds[1], { name: 'sync-prompt', version: '2' });

    const progress: string[] = [];
    const first = await syncStore(local, remote, { onProgress: (p) => progress.push(p.phase) });
    assert.equal(first.experiments.created, 1);
    assert.equal(first.runs.created, 5);
    assert.equal(first.artifacts.uploaded, 10);
    assert.equal(first.registeredModels.created, 2);
    assert.equal(first.modelVersions.created, 3);
    assert.equal(first.aliases.created, 2);
    assert.deepEqual(first.warnings, []);
    assert.ok(progress.includes('runs') && progress.includes('registry'));

    // Read back on the server.
    const runs = await remoteRuns('sync-full');
    assert.equal(runs.length, 5);
    const byName = new Map(runs.map((r) => [r.info.runName, r]));
    for (let i = 0; i < 5; i++) {
      const r = byName.get(`run-${i}`)!;
      assert.equal(r.data.params.find((p) => p.key === 'model')?.value, `m${i}`);
      assert.equal(tagOf(r, 'k'), String(i));
      assert.equal(tagOf(r, SYNCED_FROM_TAG), runIds[i]);
      assert.equal(r.info.status, 'FINISHED');
      assert.equal(r.info.startTime, 1_700_000_000_000 + i);
      assert.equal(r.info.endTime, 1_700_000_100_000 + i);
      assert.equal(r.info.lifecycleStage, i === 4 ? 'deleted' : 'active');
      const hist = await remote.getMetricHistory(r.info.runId, 'loss');
      assert.deepEqual(hist.map((m) => [m.step, m.value]).sort((a, b) => a[0] - b[0]), [[0, 10 - i], [1, 9 - i], [2, 8 - i]]);
      assert.equal(Buffer.from(await remote.downloadArtifact(r.info.runId, 'prompt.txt')).toString('utf8'), `prompt ${i} ünï`);
      assert.deepEqual(JSON.parse(Buffer.from(await remote.downloadArtifact(r.info.runId, 'eval/eval_results_table.json')).toString('utf8')), { i });
    }
    assert.deepEqual(JSON.parse(tagOf(byName.get('run-1')!, 'mlflow.linkedPrompts')!), [{ name: 'sync-prompt', version: '2' }]);
    const prod = await getPrompt(remote, 'sync-prompt', { alias: 'production' });
    assert.equal(prod.template, 'Hi {{name}}!');
    assert.equal(prod.commitMessage, 'second');
    const mv = await remote.getModelVersionByAlias('sync-model', 'champion');
    assert.equal(mv.runId, byName.get('run-0')!.info.runId);
    assert.equal((await remote.getRegisteredModel('sync-model')).tags.find((t) => t.key === 'owner')?.value, 'me');
    assert.equal((await remote.getExperimentByName('sync-full'))!.tags.find((t) => t.key === 'team')?.value, 'ml');

    // Again: nothing created, nothing changed.
    const second = await syncStore(local, remote);
    assert.equal(second.experiments.created, 0);
    assert.deepEqual(second.runs, { created: 0, updated: 0, skipped: 5 });
    assert.equal(second.artifacts.uploaded, 0);
    assert.equal(second.registeredModels.created, 0);
    assert.deepEqual(second.modelVersions, { created: 0, updated: 0, skipped: 3 });
    assert.deepEqual(second.aliases, { created: 0, updated: 0, skipped: 2 });
    assert.equal((await remoteRuns('sync-full')).length, 5);
    // (MLflow 3 lists prompt versions only when the filter names the prompt tag.)
    assert.equal((await remote.searchModelVersions({ filter: "name = 'sync-prompt' AND tags.`mlflow.prompt.is_prompt` = 'true'" })).items.length, 2);

    // A local change after the sync goes up as an update of the same remote run.
    await local.logBatch(runIds[2], { metrics: [{ key: 'loss', value: 0.5, timestamp: 2000, step: 3 }] });
    await local.setAlias('sync-prompt', 'production', '1');
    const third = await syncStore(local, remote);
    assert.deepEqual(third.runs, { created: 0, updated: 1, skipped: 4 });
    assert.deepEqual(third.aliases, { created: 0, updated: 1, skipped: 1 });
    const r2 = (await remoteRuns('sync-full')).find((r) => r.info.runName === 'run-2')!;
    assert.equal((await remote.getMetricHistory(r2.info.runId, 'loss')).length, 4, 'history not duplicated by the re-push');
    assert.equal((await getPrompt(remote, 'sync-prompt', { alias: 'production' })).version, '1');
    assert.equal((await remoteRuns('sync-full')).length, 5);
  });

  it('resumes an interrupted sync without duplicates, adopting a run created just before the interruption', async function () {
    const local = await freshLocal();
    const exp = await local.createExperiment('sync-resume');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const run = await local.createRun({ experimentId: exp, runName: `r-${i}`, startTime: 1_700_000_000_000 + i });
      ids.push(run.info.runId);
      await local.logBatch(run.info.runId, { params: [{ key: 'i', value: String(i) }], metrics: [{ key: 'acc', value: i / 12, timestamp: 1, step: 0 }] });
      await local.updateRun(run.info.runId, { status: 'FINISHED', endTime: 1_700_000_000_500 + i });
    }
    await registerPrompt(local, 'resume-prompt', 'x {{y}}');

    // Abort after 4 runs (as a user cancelling, or a kill between runs).
    const ctl = new AbortController();
    await assert.rejects(
      syncStore(local, remote, { signal: ctl.signal, onProgress: (p) => { if (p.phase === 'runs' && p.done === 4) ctl.abort(); } }),
      (e: unknown) => e instanceof SyncAbortedError && e.report.runs.created === 4,
    );
    assert.equal((await remoteRuns('sync-resume')).length, 4);
    // Simulate a kill inside the next run's push: the server has the run (tagged), the local mapping is missing.
    const remoteExp = (await remote.getExperimentByName('sync-resume'))!.experimentId;
    await remote.createRun({ experimentId: remoteExp, runName: 'r-4', startTime: 1_700_000_000_004, tags: [{ key: SYNCED_FROM_TAG, value: ids[4] }] });

    // ... and the prompt version too (pushed, tagged, mapping lost).
    await registerPrompt(remote, 'resume-prompt', 'x {{y}}', { tags: [{ key: SYNCED_FROM_TAG, value: `${local.storeId}:resume-prompt/1` }] });

    const resumed = await syncStore(local, remote);
    assert.equal(resumed.modelVersions.created, 0, 'the tagged prompt version is adopted, not created again');
    assert.equal(resumed.runs.created, 7);
    assert.equal(resumed.runs.updated, 1, 'the half-pushed run is adopted and completed');
    assert.equal(resumed.runs.skipped, 4);
    const runs = await remoteRuns('sync-resume');
    assert.equal(runs.length, 12, 'no duplicates');
    assert.deepEqual(new Set(runs.map((r) => tagOf(r, SYNCED_FROM_TAG))), new Set(ids));
    for (const r of runs) {
      assert.equal(r.info.status, 'FINISHED');
      assert.equal(r.data.params.find((p) => p.key === 'i')?.value, r.info.runName.slice(2));
    }
    assert.equal((await getPrompt(remote, 'resume-prompt', { version: '1' })).template, 'x {{y}}');
    await assert.rejects(getPrompt(remote, 'resume-prompt', { version: '2' }));
    const again = await syncStore(local, remote);
    assert.equal(again.runs.created + again.runs.updated, 0);
    assert.equal((await remoteRuns('sync-resume')).length, 12);
  });

  it('a sync process SIGKILLed mid-run resumes to a complete copy without duplicates', async function () {
    const local = await freshLocal();
    const exp = await local.createExperiment('sync-kill');
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      const run = await local.createRun({ experimentId: exp, runName: `k-${i}`, startTime: 1_700_000_000_000 + i });
      ids.push(run.info.runId);
      await local.logBatch(run.info.runId, {
        params: [{ key: 'i', value: String(i) }],
        metrics: Array.from({ length: 200 }, (_, s) => ({ key: 'loss', value: 1 / (s + 1), timestamp: 1000 + s, step: s })),
      });
      await local.uploadArtifact(run.info.runId, 'out/table.json', JSON.stringify({ i, rows: Array.from({ length: 50 }, (_, r) => r) }));
      await local.updateRun(run.info.runId, { status: 'FINISHED', endTime: 1_700_000_001_000 + i });
    }
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../unit/tracking/local/syncChild.ts'), local.location, server.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let killedAfter = 0;
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      // Kill as soon as 6 runs are reported: the 7th run's create, batch or artifact is then on the wire.
      if (l === 'RUN 6' && !killedAfter) { killedAfter = 6; child.kill('SIGKILL'); }
    });
    await exited;
    assert.equal(stderr, '');
    assert.equal(killedAfter, 6, 'the child was killed mid-sync');
    const before = await remoteRuns('sync-kill');
    assert.ok(before.length >= 6 && before.length < 15, `partial copy (${before.length})`);

    const resumed = await syncStore(local, remote);
    assert.equal(resumed.runs.skipped >= 6, true);
    const runs = await remoteRuns('sync-kill');
    assert.equal(runs.length, 15, 'no duplicates, nothing missing');
    assert.deepEqual(new Set(runs.map((r) => tagOf(r, SYNCED_FROM_TAG))), new Set(ids));
    for (const r of runs) {
      assert.equal(r.info.status, 'FINISHED');
      assert.equal((await remote.getMetricHistory(r.info.runId, 'loss')).length, 200);
      const i = Number(r.info.runName.slice(2));
      assert.equal(JSON.parse(Buffer.from(await remote.downloadArtifact(r.info.runId, 'out/table.json')).toString('utf8')).i, i);
    }
    const again = await syncStore(local, remote);
    assert.deepEqual(again.runs, { created: 0, updated: 0, skipped: 15 });
  });
});
