// The behaviour every TrackingStore backend must show, run against each backend:
// contract.mlflow.test.ts (real server, sqlite), contract.postgres.test.ts (real server, PostgreSQL)
// and contract.embedded.test.ts (the workspace store). Semantics follow MLflow's server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TrackingError } from '../../../src/core/tracking/types';
import type { Run, TrackingErrorCode, TrackingStore } from '../../../src/core/tracking/types';
import { getPrompt, registerPrompt, searchPrompts } from '../../../src/core/registry/promptStore';
import { defineTraceContract } from './contractTraces';

export interface ContractStore {
  store: TrackingStore;
  cleanup(): Promise<void>;
}

export async function expectTrackingError(p: Promise<unknown>, code: TrackingErrorCode | TrackingErrorCode[]): Promise<TrackingError> {
  const codes = Array.isArray(code) ? code : [code];
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TrackingError, `expected TrackingError(${codes.join('|')}), got ${String(e)}`);
    assert.ok(codes.includes(e.code), `expected ${codes.join('|')}, got ${e.code}: ${e.message}`);
    return e;
  }
  assert.fail(`expected TrackingError(${codes.join('|')}) but the call succeeded`);
}

const tagOf = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
const paramOf = (run: Run, key: string) => run.data.params.find((p) => p.key === key)?.value;
const metricOf = (run: Run, key: string) => run.data.metrics.find((m) => m.key === key)?.value;

export function defineTrackingContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`TrackingStore contract: ${name}`, function () {
    let ctx: ContractStore;
    let store: TrackingStore;
    // Unique per suite run so a shared server or store never sees name clashes.
    const uid = randomUUID().slice(0, 8);
    const n = (base: string) => `${base}-${uid}`;

    before(async function () {
      ctx = await makeStore();
      store = ctx.store;
    });
    after(async function () {
      if (ctx) {
        await ctx.store.close();
        await ctx.cleanup();
      }
    });

    defineTraceContract(() => store, n);

    describe('experiments', function () {
      it('creates, gets by id and by name', async function () {
        const id = await store.createExperiment(n('exp-a'), [{ key: 'team', value: 'ml' }]);
        assert.equal(typeof id, 'string');
        const byId = await store.getExperiment(id);
        assert.equal(byId.name, n('exp-a'));
        assert.equal(byId.lifecycleStage, 'active');
        assert.equal(byId.tags.find((t) => t.key === 'team')?.value, 'ml');
        const byName = await store.getExperimentByName(n('exp-a'));
        assert.equal(byName?.experimentId, id);
      });

      it('returns undefined for an unknown name and RESOURCE_DOES_NOT_EXIST for an unknown id', async function () {
        assert.equal(await store.getExperimentByName(n('nope')), undefined);
        await expectTrackingError(store.getExperiment('987654321'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('refuses a duplicate name with RESOURCE_ALREADY_EXISTS', async function () {
        await store.createExperiment(n('exp-dup'));
        await expectTrackingError(store.createExperiment(n('exp-dup')), 'RESOURCE_ALREADY_EXISTS');
      });

      it('ensureExperiment is idempotent', async function () {
        const a = await store.ensureExperiment(n('exp-ensure'));
        const b = await store.ensureExperiment(n('exp-ensure'));
        assert.equal(a, b);
      });

      it('searches experiments by name with paging', async function () {
        for (const i of [1, 2, 3]) await store.createExperiment(n(`exp-page${i}`));
        const seen: string[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        do {
          const page = await store.searchExperiments({ filter: `name LIKE 'exp-page%-${uid}'`, maxResults: 2, pageToken });
          assert.ok(page.items.length <= 2);
          seen.push(...page.items.map((e) => e.name));
          pageToken = page.nextPageToken;
          pages++;
        } while (pageToken && pages < 10);
        assert.deepEqual([...seen].sort(), [n('exp-page1'), n('exp-page2'), n('exp-page3')]);
      });
    });

    describe('runs', function () {
      let exp: string;
      before(async function () {
        exp = await store.createExperiment(n('runs'));
      });

      it('creates a run that is RUNNING with its name in info and the mlflow.runName tag', async function () {
        const run = await store.createRun({ experimentId: exp, runName: 'first', startTime: 1_700_000_000_000, tags: [{ key: 'k', value: 'v' }] });
        assert.equal(run.info.status, 'RUNNING');
        assert.equal(run.info.runName, 'first');
        assert.equal(run.info.experimentId, exp);
        assert.equal(run.info.startTime, 1_700_000_000_000);
        assert.equal(run.info.lifecycleStage, 'active');
        assert.equal(tagOf(run, 'mlflow.runName'), 'first');
        assert.equal(tagOf(run, 'k'), 'v');
        const again = await store.getRun(run.info.runId);
        assert.equal(again.info.runId, run.info.runId);
        assert.equal(tagOf(again, 'k'), 'v');
      });

      it('gives a run a name when none is passed', async function () {
        const run = await store.createRun({ experimentId: exp });
        assert.ok(run.info.runName.length > 0);
      });

      it('raises RESOURCE_DOES_NOT_EXIST for a missing run', async function () {
        await expectTrackingError(store.getRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('updates status, end time and name', async function () {
        const run = await store.createRun({ experimentId: exp, runName: 'to-update' });
        const info = await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: run.info.startTime + 5000, runName: 'renamed' });
        assert.ok(info, 'a delivered update answers with the run info');
        assert.equal(info.experimentId, exp);
        assert.equal(info.status, 'FINISHED');
        assert.equal(info.endTime, run.info.startTime + 5000);
        assert.equal(info.runName, 'renamed');
        const got = await store.getRun(run.info.runId);
        assert.equal(got.info.status, 'FINISHED');
        assert.equal(got.info.runName, 'renamed');
        assert.equal(tagOf(got, 'mlflow.runName'), 'renamed');
      });

      it('logs params, metrics and tags in one batch and reads them back', async function () {
        const run = await store.createRun({ experimentId: exp, runName: 'batch' });
        const t = Date.now();
        await store.logBatch(run.info.runId, {
          params: [{ key: 'model', value: 'gpt-x' }, { key: 'temperature', value: '0.2' }],
          metrics: [
            { key: 'loss', value: 1, timestamp: t, step: 0 },
            { key: 'loss', value: 3, timestamp: t + 2, step: 2 },
            { key: 'loss', value: 2, timestamp: t + 1, step: 1 },
            { key: 'latency_ms/p95', value: 812.5, timestamp: t, step: 0 },
          ],
          tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }],
        });
        const got = await store.getRun(run.info.runId);
        assert.equal(paramOf(got, 'model'), 'gpt-x');
        assert.equal(paramOf(got, 'temperature'), '0.2');
        // The latest value is the one at the highest step.
        assert.equal(metricOf(got, 'loss'), 3);
        assert.equal(metricOf(got, 'latency_ms/p95'), 812.5);
        assert.equal(tagOf(got, 'mlflow.source.git.commit'), 'abc123');
        const hist = await store.getMetricHistory(run.info.runId, 'loss');
        assert.equal(hist.length, 3);
        assert.deepEqual(hist.map((m) => [m.step, m.value]).sort((a, b) => a[0] - b[0]), [[0, 1], [1, 2], [2, 3]]);
        assert.deepEqual(await store.getMetricHistory(run.info.runId, 'never-logged'), []);
      });

      it('accepts the same param value twice but refuses a changed value with INVALID_PARAMETER_VALUE', async function () {
        const run = await store.createRun({ experimentId: exp });
        await store.logBatch(run.info.runId, { params: [{ key: 'p', value: '1' }] });
        await store.logBatch(run.info.runId, { params: [{ key: 'p', value: '1' }] });
        await expectTrackingError(store.logBatch(run.info.runId, { params: [{ key: 'p', value: '2' }] }), 'INVALID_PARAMETER_VALUE');
        assert.equal(paramOf(await store.getRun(run.info.runId), 'p'), '1');
      });

      it('refuses bad key names and over-long values with INVALID_PARAMETER_VALUE', async function () {
        const run = await store.createRun({ experimentId: exp });
        await expectTrackingError(store.logBatch(run.info.runId, { params: [{ key: 'bad*key', value: 'x' }] }), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.logBatch(run.info.runId, { metrics: [{ key: '../up', value: 1, timestamp: 0, step: 0 }] }), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setTag(run.info.runId, 'a//b', 'x'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.logBatch(run.info.runId, { params: [{ key: 'long', value: 'x'.repeat(6001) }] }), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setTag(run.info.runId, 'long', 'x'.repeat(8001)), 'INVALID_PARAMETER_VALUE');
        // The limits themselves are fine.
        await store.logBatch(run.info.runId, { params: [{ key: 'ok.name-1/x: y', value: 'x'.repeat(6000) }] });
        await store.setTag(run.info.runId, 'ok', 'x'.repeat(8000));
      });

      it('overwrites a tag with setTag', async function () {
        const run = await store.createRun({ experimentId: exp });
        await store.setTag(run.info.runId, 'note', 'one');
        await store.setTag(run.info.runId, 'note', 'two');
        assert.equal(tagOf(await store.getRun(run.info.runId), 'note'), 'two');
      });

      it('logs large batches (more than one server request worth)', async function () {
        const run = await store.createRun({ experimentId: exp });
        const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'm', value: i, timestamp: 1000 + i, step: i }));
        const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
        const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
        await store.logBatch(run.info.runId, { metrics, params, tags });
        const got = await store.getRun(run.info.runId);
        assert.equal(got.data.params.length, 150);
        assert.ok(got.data.tags.filter((t) => /^t\d+$/.test(t.key)).length === 120);
        assert.equal(metricOf(got, 'm'), 2499);
        assert.equal((await store.getMetricHistory(run.info.runId, 'm')).length, 2500);
      });

      it('deletes and restores a run', async function () {
        const run = await store.createRun({ experimentId: exp, runName: 'doomed' });
        await store.deleteRun(run.info.runId);
        assert.equal((await store.getRun(run.info.runId)).info.lifecycleStage, 'deleted');
        const active = await store.searchRuns({ experimentIds: [exp], filter: "attributes.run_name = 'doomed'" });
        assert.equal(active.items.length, 0);
        const deleted = await store.searchRuns({ experimentIds: [exp], filter: "attributes.run_name = 'doomed'", runViewType: 'DELETED_ONLY' });
        assert.equal(deleted.items.length, 1);
        await store.restoreRun(run.info.runId);
        assert.equal((await store.getRun(run.info.runId)).info.lifecycleStage, 'active');
        const all = await store.searchRuns({ experimentIds: [exp], filter: "attributes.run_name = 'doomed'", runViewType: 'ALL' });
        assert.equal(all.items.length, 1);
      });
    });

    describe('search runs', function () {
      let exp: string;
      const ids: Record<string, string> = {};
      before(async function () {
        exp = await store.createExperiment(n('search'));
        const rows = [
          { name: 'r1', acc: 0.9, model: 'a', team: 'x', status: 'FINISHED' as const, start: 1000 },
          { name: 'r2', acc: 0.5, model: 'b', team: 'x', status: 'FINISHED' as const, start: 2000 },
          { name: 'r3', acc: 0.7, model: 'a', team: 'y', status: 'FAILED' as const, start: 3000 },
          { name: 'r4', acc: undefined, model: 'c', team: 'y', status: 'RUNNING' as const, start: 4000 },
          { name: 'other5', acc: 0.95, model: 'b', team: 'z', status: 'FINISHED' as const, start: 5000 },
        ];
        for (const r of rows) {
          const run = await store.createRun({ experimentId: exp, runName: r.name, startTime: r.start, tags: [{ key: 'team', value: r.team }] });
          ids[r.name] = run.info.runId;
          await store.logBatch(run.info.runId, {
            params: [{ key: 'model', value: r.model }],
            metrics: r.acc === undefined ? [] : [{ key: 'acc', value: r.acc, timestamp: r.start, step: 0 }],
          });
          if (r.status !== 'RUNNING') await store.updateRun(run.info.runId, { status: r.status, endTime: r.start + 10 });
        }
      });
      const names = (runs: Run[]) => runs.map((r) => r.info.runName);
      const search = async (filter?: string, orderBy?: string[]) =>
        names((await store.searchRuns({ experimentIds: [exp], filter, orderBy, maxResults: 100 })).items);

      it('defaults to start_time DESC', async function () {
        assert.deepEqual(await search(), ['other5', 'r4', 'r3', 'r2', 'r1']);
      });
      it('filters on metrics, params, tags and attributes', async function () {
        assert.deepEqual(await search('metrics.acc > 0.8'), ['other5', 'r1']);
        assert.deepEqual(await search('metrics.acc <= 0.7'), ['r3', 'r2']);
        assert.deepEqual(await search("params.model = 'a'"), ['r3', 'r1']);
        assert.deepEqual(await search("params.model != 'a'"), ['other5', 'r4', 'r2']);
        assert.deepEqual(await search('tags."team" = \'y\''), ['r4', 'r3']);
        assert.deepEqual(await search("tags.`team` = 'x'"), ['r2', 'r1']);
        assert.deepEqual(await search("attributes.status = 'FINISHED'"), ['other5', 'r2', 'r1']);
        assert.deepEqual(await search("attributes.run_name LIKE 'r%'"), ['r4', 'r3', 'r2', 'r1']);
        assert.deepEqual(await search("attributes.run_name ILIKE 'OTHER%'"), ['other5']);
        // MLflow allows IN / NOT IN only on attributes.run_id.
        assert.deepEqual(await search(`attributes.run_id IN ('${ids.r1}', '${ids.r4}')`), ['r4', 'r1']);
        assert.deepEqual(await search(`attributes.run_id NOT IN ('${ids.r1}', '${ids.r2}')`), ['other5', 'r4', 'r3']);
        assert.deepEqual(await search("metrics.acc >= 0.5 AND params.model = 'b'"), ['other5', 'r2']);
        assert.deepEqual(await search("tags.team = 'nobody'"), []);
      });
      it('orders by a metric, putting runs without it last', async function () {
        assert.deepEqual(await search(undefined, ['metrics.acc DESC']), ['other5', 'r1', 'r3', 'r2', 'r4']);
        assert.deepEqual(await search(undefined, ['metrics.acc ASC']), ['r2', 'r3', 'r1', 'other5', 'r4']);
      });
      it('orders by params and attributes', async function () {
        assert.deepEqual(await search(undefined, ['attributes.start_time ASC']), ['r1', 'r2', 'r3', 'r4', 'other5']);
        // Ties on the param are broken by start_time DESC.
        assert.deepEqual(await search(undefined, ['params.model ASC']), ['r3', 'r1', 'other5', 'r2', 'r4']);
      });
      it('pages through all results with maxResults 2', async function () {
        const seen: string[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        do {
          const page = await store.searchRuns({ experimentIds: [exp], maxResults: 2, pageToken, orderBy: ['metrics.acc DESC'] });
          assert.ok(page.items.length <= 2);
          seen.push(...names(page.items));
          pageToken = page.nextPageToken;
          pages++;
        } while (pageToken && pages < 10);
        assert.deepEqual(seen, ['other5', 'r1', 'r3', 'r2', 'r4']);
        assert.equal(pages, 3);
      });
      it('returns the run data (params, metrics, tags) in search results', async function () {
        const [r1] = (await store.searchRuns({ experimentIds: [exp], filter: "attributes.run_name = 'r1'" })).items;
        assert.equal(r1.info.runId, ids.r1);
        assert.equal(paramOf(r1, 'model'), 'a');
        assert.equal(metricOf(r1, 'acc'), 0.9);
        assert.equal(tagOf(r1, 'team'), 'x');
      });
      it('refuses a malformed filter with INVALID_PARAMETER_VALUE', async function () {
        await expectTrackingError(store.searchRuns({ experimentIds: [exp], filter: 'metrics.acc >>> 1' }), 'INVALID_PARAMETER_VALUE');
        // MLflow allows IN only on attributes.run_id.
        await expectTrackingError(store.searchRuns({ experimentIds: [exp], filter: "params.model IN ('a')" }), 'INVALID_PARAMETER_VALUE');
      });
    });

    describe('artifacts', function () {
      let runId: string;
      before(async function () {
        const exp = await store.createExperiment(n('artifacts'));
        runId = (await store.createRun({ experimentId: exp })).info.runId;
      });

      it('uploads text and bytes, lists folders and downloads them back', async function () {
        await store.uploadArtifact(runId, 'prompt.txt', 'Hello {{name}} — ünïcödé\n');
        const bytes = new Uint8Array(256).map((_, i) => i);
        await store.uploadArtifact(runId, 'data/blob.bin', bytes);
        await store.uploadArtifact(runId, 'data/nested/table.json', JSON.stringify({ a: 1 }));
        const root = await store.listArtifacts(runId);
        const rootPaths = root.map((f) => `${f.path}${f.isDir ? '/' : ''}`).sort();
        assert.deepEqual(rootPaths, ['data/', 'prompt.txt']);
        assert.equal(root.find((f) => f.path === 'prompt.txt')?.fileSize, Buffer.byteLength('Hello {{name}} — ünïcödé\n'));
        const data = await store.listArtifacts(runId, 'data');
        assert.deepEqual(data.map((f) => `${f.path}${f.isDir ? '/' : ''}`).sort(), ['data/blob.bin', 'data/nested/']);
        assert.equal(Buffer.from(await store.downloadArtifact(runId, 'prompt.txt')).toString('utf8'), 'Hello {{name}} — ünïcödé\n');
        assert.deepEqual(Buffer.from(await store.downloadArtifact(runId, 'data/blob.bin')), Buffer.from(bytes));
        assert.deepEqual(JSON.parse(Buffer.from(await store.downloadArtifact(runId, 'data/nested/table.json')).toString('utf8')), { a: 1 });
      });

      it('overwrites an artifact uploaded again under the same path', async function () {
        await store.uploadArtifact(runId, 'again.txt', 'one');
        await store.uploadArtifact(runId, 'again.txt', 'two');
        assert.equal(Buffer.from(await store.downloadArtifact(runId, 'again.txt')).toString('utf8'), 'two');
      });

      it('raises RESOURCE_DOES_NOT_EXIST for a missing artifact and refuses paths escaping the run', async function () {
        await expectTrackingError(store.downloadArtifact(runId, 'missing.txt'), 'RESOURCE_DOES_NOT_EXIST');
        await expectTrackingError(store.uploadArtifact(runId, '../escape.txt', 'x'), 'INVALID_PARAMETER_VALUE');
      });
    });

    describe('model registry', function () {
      let runId: string;
      let source: string;
      before(async function () {
        const exp = await store.createExperiment(n('registry'));
        const run = await store.createRun({ experimentId: exp });
        runId = run.info.runId;
        source = `${run.info.artifactUri ?? 'runs:/' + runId}/model`;
      });

      it('creates a registered model, refuses a duplicate, sets tags and description', async function () {
        const m = await store.createRegisteredModel(n('model'), { description: 'first', tags: [{ key: 'owner', value: 'me' }] });
        assert.equal(m.name, n('model'));
        assert.equal(m.description, 'first');
        await expectTrackingError(store.createRegisteredModel(n('model')), 'RESOURCE_ALREADY_EXISTS');
        await store.setRegisteredModelTag(n('model'), 'owner', 'you');
        const upd = await store.updateRegisteredModel(n('model'), 'second');
        assert.equal(upd.description, 'second');
        const got = await store.getRegisteredModel(n('model'));
        assert.equal(got.description, 'second');
        assert.equal(got.tags.find((t) => t.key === 'owner')?.value, 'you');
        await expectTrackingError(store.getRegisteredModel(n('no-model')), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('creates numbered versions with tags and descriptions', async function () {
        await store.createRegisteredModel(n('mv'));
        const v1 = await store.createModelVersion(n('mv'), { source, runId, description: 'one', tags: [{ key: 'k', value: '1' }] });
        const v2 = await store.createModelVersion(n('mv'), { source, runId });
        assert.equal(v1.version, '1');
        assert.equal(v2.version, '2');
        assert.equal(v1.runId, runId);
        assert.equal(v1.description, 'one');
        await store.setModelVersionTag(n('mv'), '2', 'k', '2');
        const upd = await store.updateModelVersion(n('mv'), '2', 'two');
        assert.equal(upd.description, 'two');
        const got = await store.getModelVersion(n('mv'), '2');
        assert.equal(got.tags.find((t) => t.key === 'k')?.value, '2');
        assert.equal(got.description, 'two');
        await expectTrackingError(store.getModelVersion(n('mv'), '99'), 'RESOURCE_DOES_NOT_EXIST');
        const found = await store.searchModelVersions({ filter: `name = '${n('mv')}'` });
        assert.deepEqual(found.items.map((v) => v.version).sort(), ['1', '2']);
      });

      it('sets, moves, resolves and deletes aliases', async function () {
        await store.createRegisteredModel(n('alias'));
        await store.createModelVersion(n('alias'), { source, runId });
        await store.createModelVersion(n('alias'), { source, runId });
        await store.setAlias(n('alias'), 'production', '1');
        assert.equal((await store.getModelVersionByAlias(n('alias'), 'production')).version, '1');
        await store.setAlias(n('alias'), 'production', '2');
        const v2 = await store.getModelVersionByAlias(n('alias'), 'production');
        assert.equal(v2.version, '2');
        assert.deepEqual(v2.aliases, ['production']);
        assert.deepEqual((await store.getModelVersion(n('alias'), '1')).aliases, []);
        await store.setAlias(n('alias'), 'staging', '1');
        const model = await store.getRegisteredModel(n('alias'));
        assert.deepEqual(
          [...model.aliases].sort((a, b) => a.alias.localeCompare(b.alias)),
          [{ alias: 'production', version: '2' }, { alias: 'staging', version: '1' }],
        );
        await store.deleteAlias(n('alias'), 'staging');
        await expectTrackingError(store.getModelVersionByAlias(n('alias'), 'staging'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('enforces alias name rules', async function () {
        await store.createRegisteredModel(n('alias-rules'));
        await store.createModelVersion(n('alias-rules'), { source, runId });
        await expectTrackingError(store.setAlias(n('alias-rules'), 'latest', '1'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setAlias(n('alias-rules'), 'LATEST', '1'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setAlias(n('alias-rules'), 'v3', '1'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setAlias(n('alias-rules'), 'has space', '1'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setAlias(n('alias-rules'), 'a.b', '1'), 'INVALID_PARAMETER_VALUE');
        await expectTrackingError(store.setAlias(n('alias-rules'), 'ok', '7'), 'RESOURCE_DOES_NOT_EXIST');
        await store.setAlias(n('alias-rules'), 'champion_2-b', '1');
      });

      it('transitions legacy stages or refuses with INVALID_PARAMETER_VALUE', async function () {
        await store.createRegisteredModel(n('stage'));
        await store.createModelVersion(n('stage'), { source, runId });
        try {
          const v = await store.transitionStage(n('stage'), '1', 'Staging', false);
          assert.equal(v.currentStage, 'Staging');
          assert.equal((await store.getModelVersion(n('stage'), '1')).currentStage, 'Staging');
        } catch (e) {
          assert.ok(e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE', String(e));
        }
      });

      it('searches registered models by name without listing prompts', async function () {
        await store.createRegisteredModel(n('searchable'));
        await registerPrompt(store, n('searchable-prompt'), 'x');
        const page = await store.searchRegisteredModels({ filter: `name LIKE '%${uid}'`, maxResults: 100 });
        const got = page.items.map((m) => m.name);
        assert.ok(got.includes(n('searchable')));
        assert.ok(!got.includes(n('searchable-prompt')));
      });
    });

    describe('prompts', function () {
      const template = 'Summarize for {{ audience }}:\n\n{{text}}\n— ünïcödé';

      it('registers versions and loads them by version and alias', async function () {
        const v1 = await registerPrompt(store, n('summarize'), template, { commitMessage: 'first', tags: [{ key: 'author', value: 'me' }] });
        assert.equal(v1.name, n('summarize'));
        assert.equal(v1.version, '1');
        assert.equal(v1.template, template);
        assert.equal(v1.commitMessage, 'first');
        const v2 = await registerPrompt(store, n('summarize'), template + ' v2', { commitMessage: 'second' });
        assert.equal(v2.version, '2');
        await store.setAlias(n('summarize'), 'production', '1');
        const byAlias = await getPrompt(store, n('summarize'), { alias: 'production' });
        assert.equal(byAlias.version, '1');
        assert.equal(byAlias.template, template);
        assert.deepEqual(byAlias.aliases, ['production']);
        const byVersion = await getPrompt(store, n('summarize'), { version: '2' });
        assert.equal(byVersion.template, template + ' v2');
        assert.equal(byVersion.commitMessage, 'second');
        assert.equal(byVersion.tags.find((t) => t.key === 'author'), undefined);
        assert.equal(v1.tags.find((t) => t.key === 'author')?.value, 'me');
      });

      it('stores prompts the way MLflow does (tags on the registered model and versions)', async function () {
        await registerPrompt(store, n('conv'), 'Hi {{x}}');
        const rm = await store.getRegisteredModel(n('conv'));
        assert.equal(rm.tags.find((t) => t.key === 'mlflow.prompt.is_prompt')?.value, 'true');
        const mv = await store.getModelVersion(n('conv'), '1');
        assert.equal(mv.tags.find((t) => t.key === 'mlflow.prompt.text')?.value, 'Hi {{x}}');
        assert.equal(mv.tags.find((t) => t.key === 'mlflow.prompt.is_prompt')?.value, 'true');
        assert.equal(mv.tags.find((t) => t.key === '_mlflow_prompt_type')?.value, 'text');
      });

      it('raises RESOURCE_DOES_NOT_EXIST for a missing prompt, version or alias', async function () {
        await expectTrackingError(getPrompt(store, n('no-prompt'), { version: '1' }), 'RESOURCE_DOES_NOT_EXIST');
        await registerPrompt(store, n('lonely'), 'x');
        await expectTrackingError(getPrompt(store, n('lonely'), { version: '5' }), 'RESOURCE_DOES_NOT_EXIST');
        await expectTrackingError(getPrompt(store, n('lonely'), { alias: 'production' }), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('refuses to load a plain registered model as a prompt', async function () {
        await store.createRegisteredModel(n('not-a-prompt'));
        await expectTrackingError(getPrompt(store, n('not-a-prompt'), { version: '1' }), ['INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST']);
      });

      it('searches prompts', async function () {
        await registerPrompt(store, n('findme'), 'x');
        const page = await searchPrompts(store, { filter: `name LIKE 'findme-${uid}'` });
        assert.deepEqual(page.items.map((m) => m.name), [n('findme')]);
        const all = await searchPrompts(store, { maxResults: 1000 });
        assert.ok(all.items.some((m) => m.name === n('findme')));
        assert.ok(all.items.every((m) => m.tags.some((t) => t.key === 'mlflow.prompt.is_prompt' && t.value === 'true')));
      });

      it('links prompt versions to a run in mlflow.linkedPrompts without duplicates', async function () {
        const exp = await store.createExperiment(n('linked'));
        const run = await store.createRun({ experimentId: exp });
        await registerPrompt(store, n('link-a'), 'a');
        await registerPrompt(store, n('link-b'), 'b');
        await store.linkPromptToRun(run.info.runId, { name: n('link-a'), version: '1' });
        await store.linkPromptToRun(run.info.runId, { name: n('link-b'), version: '1' });
        await store.linkPromptToRun(run.info.runId, { name: n('link-a'), version: '1' });
        const tag = tagOf(await store.getRun(run.info.runId), 'mlflow.linkedPrompts');
        assert.ok(tag);
        assert.deepEqual(JSON.parse(tag), [{ name: n('link-a'), version: '1' }, { name: n('link-b'), version: '1' }]);
      });
    });
  });
}
