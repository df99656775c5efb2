// Tracking against one real `mlflow server` (sqlite): our REST client vs MLflow's Python client
// doing the same work in the same run. Prints `BENCH {json}` lines (bench/report.ts).
//   1. log 10,000 metrics + 100 params + 10 artifacts to one run
//   2. search N runs (N = 10,000, or as many as can be created in ~2 min): first page, all pages
// Python timings are measured inside the Python process (import and start-up excluded).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { reportResult } from './report';
import { startMlflowServer } from '../test/helpers/mlflowServer';
import type { MlflowServer } from '../test/helpers/mlflowServer';
import { venvPython } from '../test/setup/versions.mjs';
import { MlflowStore } from '../src/core/tracking/mlflow/mlflowStore';

const METRICS = 10_000;
const PARAMS = 100;
const ARTIFACTS = 10;
const TARGET_RUNS = 10_000;
const CREATE_BUDGET_MS = 120_000;
const PAGE = 1000;

async function python(server: MlflowServer, script: string): Promise<Record<string, number>> {
  const file = path.join(server.dir, `bench-${Date.now()}.py`);
  fs.writeFileSync(file, script);
  const { stdout } = await promisify(execFile)(venvPython(), [file], {
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, GIT_PYTHON_REFRESH: 'quiet' },
    cwd: server.dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main(): Promise<void> {
  const server = await startMlflowServer();
  const store = new MlflowStore({ url: server.url, env: {} });
  try {
    const artifactDir = path.join(server.dir, 'bench-artifacts');
    fs.mkdirSync(artifactDir);
    const payload = 'x'.repeat(10 * 1024);
    for (let i = 0; i < ARTIFACTS; i++) fs.writeFileSync(path.join(artifactDir, `a${i}.txt`), payload);

    // ---- 1. logging
    const exp = await store.createExperiment('bench-logging');
    const now = Date.now();
    const [oursMs] = await timed(async () => {
      const run = await store.createRun({ experimentId: exp, runName: 'ours' });
      await store.logBatch(run.info.runId, {
        params: Array.from({ length: PARAMS }, (_, i) => ({ key: `p${i}`, value: `value-${i}` })),
        metrics: Array.from({ length: METRICS }, (_, i) => ({ key: `m${i % 10}`, value: i / 3, timestamp: now + i, step: Math.floor(i / 10) })),
      });
      await Promise.all(Array.from({ length: ARTIFACTS }, (_, i) => store.uploadArtifact(run.info.runId, `files/a${i}.txt`, payload)));
      await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: Date.now() });
    });
    const py = await python(server, `
import json, time, os
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
c = MlflowClient()
exp = c.get_experiment_by_name("bench-logging").experiment_id
now = int(time.time() * 1000)
t0 = time.perf_counter()
run = c.create_run(exp, run_name="python")
rid = run.info.run_id
c.log_batch(rid, metrics=[Metric(f"m{i % 10}", i / 3, now + i, i // 10) for i in range(${METRICS})],
            params=[Param(f"p{i}", f"value-{i}") for i in range(${PARAMS})])
for i in range(${ARTIFACTS}):
    c.log_artifact(rid, os.path.join(${JSON.stringify(artifactDir)}, f"a{i}.txt"), "files")
c.set_terminated(rid)
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}))
`);
    console.log(`logging: ours ${oursMs.toFixed(0)} ms, python ${py.ms.toFixed(0)} ms`);
    reportResult({ name: 'tracking: log 10k metrics + 100 params + 10 artifacts (vs MLflow Python client)', value: oursMs, unit: 'ms', baseline: py.ms });

    // ---- 2. search
    const sexp = await store.createExperiment('bench-search');
    const t0 = performance.now();
    let created = 0;
    const worker = async () => {
      while (created < TARGET_RUNS && performance.now() - t0 < CREATE_BUDGET_MS) {
        const i = created++;
        await store.createRun({ experimentId: sexp, runName: `r${i}`, startTime: now + i, tags: [{ key: 'group', value: String(i % 4) }] });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const createMs = performance.now() - t0;
    const runs = Math.min(created, TARGET_RUNS);
    console.log(`created ${runs} runs in ${(createMs / 1000).toFixed(1)} s (${(runs / (createMs / 1000)).toFixed(0)} runs/s, 8 parallel requests)${runs < TARGET_RUNS ? ' — fewer than 10,000: the 2-minute budget ran out' : ''}`);

    const [firstMs, first] = await timed(() => store.searchRuns({ experimentIds: [sexp], maxResults: PAGE }));
    const [allMs, total] = await timed(async () => {
      let n = 0;
      let pageToken: string | undefined;
      do {
        const page = await store.searchRuns({ experimentIds: [sexp], maxResults: PAGE, pageToken });
        n += page.items.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      return n;
    });
    if (first.items.length !== Math.min(PAGE, runs) || total !== runs) throw new Error(`search returned ${first.items.length} / ${total} runs, expected ${runs}`);
    const pys = await python(server, `
import json, time
from mlflow import MlflowClient
c = MlflowClient()
exp = c.get_experiment_by_name("bench-search").experiment_id
t0 = time.perf_counter()
first = c.search_runs([exp], max_results=${PAGE})
t1 = time.perf_counter()
n, token = 0, None
while True:
    page = c.search_runs([exp], max_results=${PAGE}, page_token=token)
    n += len(page)
    token = page.token
    if not token:
        break
t2 = time.perf_counter()
print(json.dumps({"first": (t1 - t0) * 1000, "all": (t2 - t1) * 1000, "n": n}))
`);
    if (pys.n !== runs) throw new Error(`python search saw ${pys.n} runs, expected ${runs}`);
    console.log(`search ${runs} runs: first page ours ${firstMs.toFixed(0)} ms / python ${pys.first.toFixed(0)} ms; all pages ours ${allMs.toFixed(0)} ms / python ${pys.all.toFixed(0)} ms`);
    reportResult({ name: `tracking: search ${runs} runs, first page of ${PAGE} (vs MLflow Python client)`, value: firstMs, unit: 'ms', baseline: pys.first });
    reportResult({ name: `tracking: search ${runs} runs, all pages of ${PAGE} (vs MLflow Python client)`, value: allMs, unit: 'ms', baseline: pys.all });
  } finally {
    await store.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
