// Shards for CI fleets: several CLI processes (`--shard i/n --group g`) against one real MLflow
// server (sqlite) attach to one parent run; the last to finish merges, and the merged metrics
// equal an unsharded run's. Also: two parents created at once are settled by the merge.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { cleanRun, fakeAnswer, makeFaultWorkspace, openStoreFor, root, spawnCli, type FaultWorkspace } from './resumeFaultHarness';
import { TAGS } from '../../../src/core/eval/runContext';
import type { Run, TrackingStore } from '../../../src/core/tracking/types';

const CASES = 90;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = (r: Run, k: string) => r.data.tags.find((t) => t.key === k)?.value;
const metrics = (r: Run) => Object.fromEntries(r.data.metrics.filter((m) => !m.key.startsWith('latency_ms/')).map((m) => [m.key, m.value]).sort(([a], [b]) => String(a).localeCompare(String(b))));

describe('eval shards: several CLI processes, one MLflow server', function () {
  let server: MlflowServer;
  let fake: FakeLlmServer;
  let ws: FaultWorkspace;
  let store: TrackingStore;
  let clean: Record<string, number>;
  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
    server = await startMlflowServer();
    clean = (await cleanRun(CASES, server.url, 'shout-clean')).metrics;
    fake = await startFakeLlmServer({ behavior: async ({ prompt }) => { await sleep(2); return fakeAnswer(prompt); } });
    ws = makeFaultWorkspace(fake, CASES, 'shout-sharded');
    store = await openStoreFor(ws.dir, server.url);
  });
  after(async () => {
    await store?.close();
    await fake?.stop();
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
    await server?.stop();
  });

  const groupRuns = async (group: string) => {
    const exp = (await store.getExperimentByName('shout-sharded'))!;
    return (await store.searchRuns({ experimentIds: [exp.experimentId], filter: `tags."${TAGS.group}" = '${group}'` })).items;
  };
  const shard = (i: number, n: number, group: string) => spawnCli(['eval', 'shout.eval.yaml', '--no-cache', '--shard', `${i}/${n}`, '--group', group], ws.dir, server.url).done;

  it('3 shards started at once: one parent, every case served once, merged metrics = unsharded run', async () => {
    fake.requests.splice(0);
    const results = await Promise.all([1, 2, 3].map((i) => shard(i, 3, 'ci-1')));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const words = fake.requests.map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)!.content);
    assert.equal(words.length, CASES);
    assert.equal(new Set(words).size, CASES, 'no case is sent by two shards');
    assert.ok(results.some((r) => /Group ci-1 · openai:gpt-4o-mini: merged 3 shards into run [0-9a-f]{32}/.test(r.stdout)), 'the last shard merges');

    const runs = await groupRuns('ci-1');
    const parents = runs.filter((r) => tag(r, TAGS.kind) === 'eval-parent');
    const children = runs.filter((r) => tag(r, TAGS.kind) === 'eval');
    assert.equal(parents.length, 1, 'one parent run for the group');
    assert.deepEqual(children.map((r) => tag(r, TAGS.shard)).sort(), ['1/3', '2/3', '3/3']);
    for (const c of children) assert.equal(tag(c, 'mlflow.parentRunId'), parents[0].info.runId);
    assert.deepEqual(children.map((c) => metrics(c).case_count).sort(), [30, 30, 30]);
    assert.equal(parents[0].info.status, 'FINISHED');
    assert.deepEqual(metrics(parents[0]), clean, 'merged metrics equal a clean run over all cases');

    const merged = await spawnCli(['eval', '--merge', 'ci-1'], ws.dir, server.url).done;
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stdout, /merged 3 shards .* pass_rate=0\.\d+ cases=90 errors=7/);
  });

  it('two parents created at once: the shards and the merge settle on one', async () => {
    const exp = (await store.getExperimentByName('shout-sharded'))!;
    // The race, frozen: both candidates exist before any shard looks.
    const t = Date.now();
    const make = (startTime: number) => store.createRun({ experimentId: exp.experimentId, startTime, tags: [{ key: TAGS.group, value: 'ci-2' }, { key: TAGS.kind, value: 'eval-parent' }] });
    const [a, b] = [await make(t), await make(t + 1)];
    // Shard 1 was filed under the later one (as a shard that raced and kept its own would be).
    const first = await shard(1, 2, 'ci-2');
    assert.equal(first.code, 0, first.stderr);
    await store.setTag((await groupRuns('ci-2')).find((r) => tag(r, TAGS.shard) === '1/2')!.info.runId, 'mlflow.parentRunId', b.info.runId);
    const last = await shard(2, 2, 'ci-2');
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, /merged 2 shards into run/);
    const runs = await groupRuns('ci-2');
    const parents = runs.filter((r) => tag(r, TAGS.kind) === 'eval-parent');
    assert.deepEqual(parents.map((p) => p.info.runId), [a.info.runId], 'the earliest candidate wins; the other is deleted');
    for (const c of runs.filter((r) => tag(r, TAGS.kind) === 'eval')) assert.equal(tag(c, 'mlflow.parentRunId'), a.info.runId);
    assert.equal(metrics(parents[0]).case_count, CASES);
  });

  it('--merge of an incomplete group says what is missing; bad --shard is refused', async () => {
    const one = await shard(1, 2, 'ci-3');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /Group ci-3: not merged yet, waiting for openai:gpt-4o-mini shard 2\/2 \(not started\)/);
    const m = await spawnCli(['eval', '--merge', 'ci-3'], ws.dir, server.url).done;
    assert.equal(m.code, 1);
    const bad = await spawnCli(['eval', 'shout.eval.yaml', '--shard', '3/2', '--group', 'x'], ws.dir, server.url).done;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the shard number must be 1\.\.2/);
    const noGroup = await spawnCli(['eval', 'shout.eval.yaml', '--shard', '1/2'], ws.dir, server.url).done;
    assert.match(noGroup.stderr, /--shard needs --group/);
  });
});
