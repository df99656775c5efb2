// The embedded store's field tables (fieldTables.ts) drive filter, order-by and their errors for
// each entity; and a write answers with the entity as that write left it (LogStore.write's
// `applied`, read under the write's lock), also when writes race.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type EmbeddedStore } from '../../../../src/core/tracking/local/embeddedStore';
import { TrackingError } from '../../../../src/core/tracking/types';

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE' && message.test(e.message));
}

describe('embedded store field tables and applied writes', function () {
  let dir: string;
  let store: EmbeddedStore;
  beforeEach(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-fields-'));
    store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  });
  afterEach(async function () {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown key in a filter or order-by, naming the keys the entity has', async function () {
    const exp = await store.createExperiment('e');
    await refused(store.searchExperiments({ filter: "owner = 'x'" }), /Invalid key 'owner' for experiments\. Use name, creation_time, last_update_time, tags\.<key>/);
    await refused(store.searchExperiments({ filter: 'metrics.acc > 1' }), /Invalid key 'metrics\.acc' for experiments/);
    await refused(store.searchRuns({ experimentIds: [exp], filter: "attributes.owner = 'x'" }), /Invalid key 'owner' for runs\. Use run_id, run_name, status/);
    await store.createRun({ experimentId: exp });
    await refused(store.searchRuns({ experimentIds: [exp], orderBy: ['attributes.owner DESC'] }), /Invalid key 'owner' for runs/);
    await store.createRegisteredModel('m');
    await refused(store.searchRegisteredModels({ filter: "owner = 'x'" }), /Invalid key 'owner' for registered models\. Use name, creation_timestamp/);
    await refused(store.searchRegisteredModels({ orderBy: ['owner ASC'] }), /Invalid key 'owner' for registered models/);
    await store.createModelVersion('m', { source: 's' });
    await refused(store.searchModelVersions({ filter: "owner = 'x'" }), /Invalid key 'owner' for model versions\. Use name, version_number, run_id, source_path/);
  });

  it('reads aliases of a field the same way in filters and orders', async function () {
    await store.createRegisteredModel('m');
    for (const source of ['a', 'b', 'c']) await store.createModelVersion('m', { source });
    const bySource = await store.searchModelVersions({ filter: "source_path = 'b'" });
    assert.deepEqual(bySource.items.map((v) => v.version), ['2']);
    const asc = await store.searchModelVersions({ filter: "name = 'm'", orderBy: ['version_number ASC'] });
    assert.deepEqual(asc.items.map((v) => v.version), ['1', '2', '3']);
    const desc = await store.searchModelVersions({ filter: "name = 'm'", orderBy: ['version DESC'] });
    assert.deepEqual(desc.items.map((v) => v.version), ['3', '2', '1']);
  });

  it('each write answers with what it applied, also when writes race', async function () {
    await store.createRegisteredModel('race');
    const made = await Promise.all(Array.from({ length: 5 }, (_, i) => store.createModelVersion('race', { source: `s${i}` })));
    assert.deepEqual(made.map((v) => v.source), ['s0', 's1', 's2', 's3', 's4']);
    assert.deepEqual(made.map((v) => v.version).sort(), ['1', '2', '3', '4', '5']);
    for (const v of made) assert.equal((await store.getModelVersion('race', v.version)).source, v.source);
    const updated = await store.updateModelVersion('race', '2', 'second');
    assert.equal(updated.description, 'second');
    const exp = await store.createExperiment('runs');
    const run = await store.createRun({ experimentId: exp, runName: 'r' });
    const info = await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: run.info.startTime + 1 });
    assert.deepEqual([info.status, info.endTime, info.experimentId], ['FINISHED', run.info.startTime + 1, exp]);
  });
});
