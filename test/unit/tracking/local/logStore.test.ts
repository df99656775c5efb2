import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRENT_FORMAT_VERSION, migrateForward, readManifest, writeManifest, type Manifest } from '../../../../src/core/tracking/local/formatVersion';
import { openEmbeddedStore } from '../../../../src/core/tracking/local/embeddedStore';
import { logFile, snapshotFile } from '../../../../src/core/tracking/local/logStore';
import { TrackingError } from '../../../../src/core/tracking/types';
import { getPrompt, registerPrompt } from '../../../../src/core/registry/promptStore';

describe('embedded store durability (log, torn tail, compaction, versions)', function () {
  let dir: string;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-logstore-'));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a versioned manifest and the Default experiment with id 0', async function () {
    const s = await openEmbeddedStore(dir);
    const m = readManifest(dir)!;
    assert.equal(m.format, 'prompt-ledger-embedded-store');
    assert.equal(m.formatVersion, CURRENT_FORMAT_VERSION);
    assert.equal((await s.getExperiment('0')).name, 'Default');
    await s.close();
  });

  it('reopens with every write, and ignores then truncates a torn tail', async function () {
    let s = await openEmbeddedStore(dir);
    const exp = await s.createExperiment('e');
    const run = await s.createRun({ experimentId: exp, runName: 'r' });
    await s.logBatch(run.info.runId, { params: [{ key: 'p', value: '1' }], metrics: [{ key: 'm', value: 2, timestamp: 1, step: 0 }] });
    await s.close();
    const log = logFile(dir, 0);
    const goodSize = fs.statSync(log).size;
    // A writer killed mid-append leaves half a line.
    fs.appendFileSync(log, '1234abcd {"t":"run.batch","runId":"');
    s = await openEmbeddedStore(dir);
    const got = await s.getRun(run.info.runId);
    assert.equal(got.data.params[0].value, '1');
    assert.equal(got.data.metrics[0].value, 2);
    // The next write cuts the torn tail off before appending.
    await s.setTag(run.info.runId, 'after', 'crash');
    await s.close();
    const text = fs.readFileSync(log, 'utf8');
    assert.ok(!text.includes('"runId":"\n') && !text.includes('1234abcd'), 'torn tail removed');
    assert.ok(fs.statSync(log).size > goodSize);
    s = await openEmbeddedStore(dir);
    assert.equal((await s.getRun(run.info.runId)).data.tags.find((t) => t.key === 'after')?.value, 'crash');
    await s.close();
  });

  it('compacts the log into a snapshot and reloads the same state', async function () {
    const s = await openEmbeddedStore(dir);
    const exp = await s.createExperiment('e', [{ key: 'k', value: 'v' }]);
    const run = await s.createRun({ experimentId: exp, runName: 'r', startTime: 5 });
    await s.logBatch(run.info.runId, { metrics: [1, 2, 3].map((i) => ({ key: 'loss', value: i, timestamp: i, step: i })), params: [{ key: 'p', value: 'x' }] });
    await s.updateRun(run.info.runId, { status: 'FINISHED', endTime: 9 });
    await registerPrompt(s, 'greet', 'Hi {{x}}', { commitMessage: 'c' });
    await s.setAlias('greet', 'production', '1');
    await s.setSyncMapping('http://x', 'run', run.info.runId, 'remote1');
    const before = await s.getRun(run.info.runId);
    await s.compact();
    assert.ok(fs.existsSync(snapshotFile(dir, 1)));
    assert.ok(!fs.existsSync(logFile(dir, 0)), 'old generation removed');
    assert.equal(readManifest(dir)!.generation, 1);
    // A second process (here: a second instance) that had the old log open follows the compaction.
    const other = await openEmbeddedStore(dir);
    await s.setTag(run.info.runId, 'post', 'compaction');
    assert.equal((await other.getRun(run.info.runId)).data.tags.find((t) => t.key === 'post')?.value, 'compaction');
    await s.close();
    await other.close();
    const again = await openEmbeddedStore(dir);
    const after = await again.getRun(run.info.runId);
    assert.deepEqual(after.info, before.info);
    assert.deepEqual(after.data.params, before.data.params);
    assert.deepEqual(after.data.metrics, before.data.metrics);
    assert.equal((await again.getMetricHistory(run.info.runId, 'loss')).length, 3);
    assert.equal((await getPrompt(again, 'greet', { alias: 'production' })).template, 'Hi {{x}}');
    assert.equal(again.getSyncMapping('http://x', 'run', run.info.runId), 'remote1');
    assert.equal((await again.getExperiment(exp)).tags[0].value, 'v');
    // New experiment ids keep counting after a compaction.
    assert.equal(await again.createExperiment('e2'), String(Number(exp) + 1));
    await again.close();
  });

  it('compacts on its own once the log outgrows the threshold', async function () {
    const s = await openEmbeddedStore(dir, { compactBytes: 4096 });
    const exp = await s.createExperiment('e');
    for (let i = 0; i < 40; i++) await s.createRun({ experimentId: exp, runName: `r${i}` });
    assert.ok(readManifest(dir)!.generation > 0);
    const page = await s.searchRuns({ experimentIds: [exp], maxResults: 1000 });
    assert.equal(page.items.length, 40);
    await s.close();
  });

  it('ignores leftovers of a compaction killed before its manifest switch', async function () {
    let s = await openEmbeddedStore(dir);
    await s.createExperiment('kept');
    await s.close();
    fs.writeFileSync(snapshotFile(dir, 1) + '.tmp', 'garbage');
    fs.writeFileSync(snapshotFile(dir, 1), 'garbage without trailer');
    s = await openEmbeddedStore(dir);
    assert.ok(await s.getExperimentByName('kept'));
    assert.ok(!fs.existsSync(snapshotFile(dir, 1)));
    await s.close();
  });

  it('refuses a store written by a newer format version, and runs migrations forward', async function () {
    const s = await openEmbeddedStore(dir);
    await s.close();
    const m = readManifest(dir)!;
    writeManifest(dir, { ...m, formatVersion: CURRENT_FORMAT_VERSION + 1 });
    await assert.rejects(openEmbeddedStore(dir), (e: unknown) => e instanceof TrackingError && /newer/.test(e.message));
    // The hook: a v0 store is walked forward step by step and the manifest rewritten after each.
    const calls: number[] = [];
    const old: Manifest = { ...m, formatVersion: CURRENT_FORMAT_VERSION - 1 };
    const out = migrateForward(dir, old, [{ from: CURRENT_FORMAT_VERSION - 1, to: CURRENT_FORMAT_VERSION, migrate: (_d, mm) => (calls.push(mm.formatVersion), { ...mm, formatVersion: CURRENT_FORMAT_VERSION }) }]);
    assert.deepEqual(calls, [CURRENT_FORMAT_VERSION - 1]);
    assert.equal(out.formatVersion, CURRENT_FORMAT_VERSION);
    assert.equal(readManifest(dir)!.formatVersion, CURRENT_FORMAT_VERSION);
  });

  it('writes one log line (one fsync) per logBatch call', async function () {
    const s = await openEmbeddedStore(dir);
    const run = await s.createRun({ experimentId: '0' });
    const lines = () => fs.readFileSync(logFile(dir, 0), 'utf8').split('\n').filter(Boolean).length;
    const n = lines();
    await s.logBatch(run.info.runId, {
      metrics: Array.from({ length: 500 }, (_, i) => ({ key: 'm', value: i, timestamp: i, step: i })),
      params: Array.from({ length: 50 }, (_, i) => ({ key: `p${i}`, value: 'v' })),
    });
    assert.equal(lines(), n + 1);
    await s.close();
  });
});
