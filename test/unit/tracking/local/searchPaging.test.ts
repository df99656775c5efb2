import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type EmbeddedStore } from '../../../../src/core/tracking/local/embeddedStore';
import { TrackingError } from '../../../../src/core/tracking/types';
import { registerPrompt } from '../../../../src/core/registry/promptStore';

const code = (c: string) => (e: unknown) => e instanceof TrackingError && e.code === c;

describe('embedded store search and paging', function () {
  let dir: string;
  let s: EmbeddedStore;
  let exp: string;
  const N = 250;
  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-search-'));
    s = await openEmbeddedStore(dir);
    exp = await s.createExperiment('search');
    for (let i = 0; i < N; i++) {
      const run = await s.createRun({ experimentId: exp, runName: `run-${i}`, startTime: 1000 + (i % 50) });
      await s.logBatch(run.info.runId, {
        params: [{ key: 'model', value: i % 3 === 0 ? 'a' : 'b' }],
        // every 10th run lacks the metric: it must sort last in both directions
        metrics: i % 10 === 9 ? [] : [{ key: 'score', value: (i * 37) % 101, timestamp: i, step: 0 }],
        tags: [{ key: 'parity', value: i % 2 ? 'odd' : 'even' }],
      });
    }
  });
  after(async function () {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function all(req: { filter?: string; orderBy?: string[]; maxResults: number }) {
    const out: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await s.searchRuns({ experimentIds: [exp], ...req, pageToken });
      assert.ok(page.items.length <= req.maxResults);
      out.push(...page.items.map((r) => r.info.runName));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    return { out, pages };
  }

  it('pages through every run exactly once in a stable order', async function () {
    const whole = (await s.searchRuns({ experimentIds: [exp], orderBy: ['metrics.score DESC'], maxResults: 1000 })).items.map((r) => r.info.runName);
    const { out, pages } = await all({ orderBy: ['metrics.score DESC'], maxResults: 30 });
    assert.equal(pages, Math.ceil(N / 30));
    assert.deepEqual(out, whole);
    assert.equal(new Set(out).size, N);
    // runs without the metric come last
    assert.ok(out.slice(-25).every((n) => Number(n.split('-')[1]) % 10 === 9));
  });

  it('orders ties by start_time DESC then run id, and filters with AND', async function () {
    const page = await s.searchRuns({ experimentIds: [exp], filter: "params.model = 'a' AND tags.parity = 'even' AND metrics.score >= 10", orderBy: ['params.model ASC'], maxResults: 1000 });
    const runs = page.items;
    assert.ok(runs.length > 0);
    for (const r of runs) {
      assert.equal(r.data.params.find((p) => p.key === 'model')?.value, 'a');
      assert.equal(r.data.tags.find((t) => t.key === 'parity')?.value, 'even');
      assert.ok(r.data.metrics.find((m) => m.key === 'score')!.value >= 10);
    }
    for (let i = 1; i < runs.length; i++) {
      const a = runs[i - 1].info;
      const b = runs[i].info;
      assert.ok(a.startTime > b.startTime || (a.startTime === b.startTime && a.runId < b.runId), 'start_time DESC, run id ASC');
    }
  });

  it('applies the view type and refuses bad tokens, sizes and filters', async function () {
    const [victim] = (await s.searchRuns({ experimentIds: [exp], maxResults: 1 })).items;
    await s.deleteRun(victim.info.runId);
    assert.equal((await all({ maxResults: 100 })).out.length, N - 1);
    assert.equal((await s.searchRuns({ experimentIds: [exp], runViewType: 'DELETED_ONLY' })).items.length, 1);
    assert.equal((await s.searchRuns({ experimentIds: [exp], runViewType: 'ALL', maxResults: 1000 })).items.length, N);
    await s.restoreRun(victim.info.runId);
    await assert.rejects(s.searchRuns({ experimentIds: [exp], pageToken: 'not-a-token' }), code('INVALID_PARAMETER_VALUE'));
    await assert.rejects(s.searchRuns({ experimentIds: [exp], maxResults: 50001 }), code('INVALID_PARAMETER_VALUE'));
    await assert.rejects(s.searchRuns({ experimentIds: [exp], filter: "attributes.bogus = 'x'" }), code('INVALID_PARAMETER_VALUE'));
    await assert.rejects(s.logBatch(victim.info.runId, { params: [{ key: 'model', value: 'zzz' }] }), code('INVALID_PARAMETER_VALUE'));
  });

  it('refuses writes to a deleted run like the server', async function () {
    const run = await s.createRun({ experimentId: exp });
    await s.deleteRun(run.info.runId);
    await assert.rejects(s.setTag(run.info.runId, 'k', 'v'), code('INVALID_PARAMETER_VALUE'));
    await assert.rejects(s.updateRun(run.info.runId, { status: 'FINISHED' }), code('INVALID_PARAMETER_VALUE'));
    await s.restoreRun(run.info.runId);
    await s.setTag(run.info.runId, 'k', 'v');
  });

  it('keeps the latest metric by (step, timestamp, value) and dedupes identical points', async function () {
    const run = await s.createRun({ experimentId: exp });
    await s.logBatch(run.info.runId, { metrics: [
      { key: 'm', value: 5, timestamp: 10, step: 3 },
      { key: 'm', value: 9, timestamp: 99, step: 1 },
      { key: 'm', value: 5, timestamp: 10, step: 3 },
    ] });
    const got = await s.getRun(run.info.runId);
    assert.equal(got.data.metrics[0].value, 5);
    assert.equal((await s.getMetricHistory(run.info.runId, 'm')).length, 2);
    assert.match(run.info.runId, /^[0-9a-f]{32}$/);
  });

  it('searches experiments newest first with paging, and model versions name ASC, version DESC', async function () {
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const p = await s.searchExperiments({ maxResults: 1, pageToken });
      names.push(...p.items.map((e) => e.name));
      pageToken = p.nextPageToken;
    } while (pageToken);
    assert.deepEqual(new Set(names), new Set(['Default', 'search']));
    await s.createRegisteredModel('m1');
    for (let i = 0; i < 3; i++) await s.createModelVersion('m1', { source: 'x' });
    const v = await s.searchModelVersions({ filter: "name = 'm1'" });
    assert.deepEqual(v.items.map((x) => x.version), ['3', '2', '1']);
    const one = await s.searchModelVersions({ filter: "name = 'm1' AND version_number = '2'" });
    assert.deepEqual(one.items.map((x) => x.version), ['2']);
    // Prompt versions show only when the filter names the prompt tag (MLflow 3 server behaviour).
    await registerPrompt(s, 'p1', 'hello');
    assert.equal((await s.searchModelVersions({ filter: "name = 'p1'" })).items.length, 0);
    assert.equal((await s.searchModelVersions({ filter: "name = 'p1' AND tags.`mlflow.prompt.is_prompt` = 'true'" })).items.length, 1);
  });
});
