// bench-timeout-s: 420
// Eval runner throughput and footprint against the loopback fake LLM endpoint (its own process),
// each measured against its limit in the same run:
//  - 1,000 cases @16, 100 ms endpoint, in process: limit = 1000/16 × 100 ms; ratio = limit / wall
//    (goal ≥ 0.95)
//  - overhead per case: the same 1,000 cases at 0 ms (goal ≤ 0.5 ms; ratio = 0.5 / value)
//  - the built CLI (`node dist/cli.js eval …`) on 1,000 cases @16 at 0 ms: peak RSS (goal ≤ 120 MB)
//  - the built CLI on 50,000 cases @256, 100 ms endpoint: wall against the limit
//    50000/256 × 100 ms (goal ≥ 0.9), and its peak RSS (goal ≤ 150 MB), with the store's size
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSuite } from '../src/core/eval/suiteLoader';
import { runSuite } from '../src/core/eval/runner';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { reportResult } from './report';
import { startFakeServerProcess, type FakeServerProcess } from './_fakeServerProcess';
import { evalWorkspace } from './_evalWorkspace';
import { runMeasured } from './_peakRss';
import { buildProductionBundles } from './_build';

const CASES = 1000;
const CONCURRENCY = 16;
const LATENCY_MS = 100;
const BIG_CASES = Number(process.env.BENCH_EVAL_BIG_CASES || 50_000);
const BIG_CONCURRENCY = 256;
const root = path.resolve(__dirname, '..');

async function timedRun(server: FakeServerProcess, latencyMs: number): Promise<number> {
  await server.setLatency(latencyMs);
  const ws = evalWorkspace(server.url, CASES, CONCURRENCY);
  const store = await openEmbeddedStore(path.join(ws.dir, '.promptledger'));
  try {
    const suite = parseSuite(ws.suiteText, ws.suiteFile);
    const t0 = performance.now();
    const res = await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, noCache: true, cacheDir: path.join(ws.dir, 'cache'), concurrency: CONCURRENCY, providerCtx: { env: {} } });
    const wall = performance.now() - t0;
    if (res.runs[0].rows.length !== CASES || res.runs[0].metrics.error_count !== 0) throw new Error(`bench run incomplete: ${JSON.stringify(res.runs[0].metrics)}`);
    return wall;
  } finally {
    await store.close();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

interface CliRun { wallMs: number; peakKb: number; storeMb: number; status: string; metrics: Record<string, number> }

/**
 * The built CLI on `cases` cases at `concurrency`: wall time from spawn to exit, peak RSS (the
 * kernel's, bench/_peakRss.ts), then the run as the store recorded it (status, metrics) and the
 * store's size on disk.
 */
async function cliRun(server: FakeServerProcess, latencyMs: number, cases: number, concurrency: number): Promise<CliRun> {
  await server.setLatency(latencyMs);
  const ws = evalWorkspace(server.url, cases, concurrency);
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) buildProductionBundles('inherit');
  try {
    const { code, wallMs, peakKb: peak } = await runMeasured(process.execPath, [cli, 'eval', ws.suiteFile, '--no-cache', '--concurrency', String(concurrency)], { cwd: ws.dir, env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' } });
    if (code !== 0) throw new Error(`cli exited with ${code} (${cases} cases @${concurrency})`);
    const storeDir = path.join(ws.dir, '.promptledger');
    const storeMb = Number(execFileSync('du', ['-sk', storeDir], { encoding: 'utf8' }).split('\t')[0]) / 1024;
    const store = await openEmbeddedStore(storeDir);
    try {
      const exp = await store.getExperimentByName('bench');
      if (!exp) throw new Error('the CLI run left no experiment "bench"');
      const runs = (await store.searchRuns({ experimentIds: [exp.experimentId], maxResults: 10 })).items;
      const run = runs.find((r) => r.data.tags.every((t) => t.key !== 'mlflow.parentRunId') && r.data.metrics.some((m) => m.key === 'pass_rate')) ?? runs[0];
      if (!run) throw new Error('the CLI run left no run');
      const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      return { wallMs, peakKb: peak, storeMb, status: run.info.status, metrics };
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startFakeServerProcess();
  try {
    await timedRun(server, 0); // warm-up: JIT, module loading, sockets
    const limit = (CASES / CONCURRENCY) * LATENCY_MS;
    const wall100 = await timedRun(server, LATENCY_MS);
    reportResult({ name: `eval runner: ${CASES} cases @${CONCURRENCY}, ${LATENCY_MS} ms endpoint: wall vs the limit ${CASES}/${CONCURRENCY} × ${LATENCY_MS} ms (goal ratio ≥ 0.95)`, value: wall100, unit: 'ms', baseline: limit });
    const wall0 = await timedRun(server, 0);
    const perCase = wall0 / CASES;
    reportResult({ name: `eval runner: overhead per case (${CASES} cases @${CONCURRENCY}, 0 ms endpoint, embedded store; goal ≤ 0.5 ms)`, value: perCase, unit: 'ms', baseline: 0.5 });
    const small = await cliRun(server, 0, CASES, CONCURRENCY);
    reportResult({ name: `eval CLI peak RSS (${CASES} cases @${CONCURRENCY}; goal ≤ 120 MB)`, value: small.peakKb / 1024, unit: 'MB', baseline: 120 });

    const big = await cliRun(server, LATENCY_MS, BIG_CASES, BIG_CONCURRENCY);
    if (big.status !== 'FINISHED' || big.metrics.error_count !== 0) throw new Error(`${BIG_CASES}-case run: ${big.status}, ${JSON.stringify(big.metrics)}`);
    const bigLimit = (BIG_CASES / BIG_CONCURRENCY) * LATENCY_MS;
    reportResult({ name: `eval CLI: ${BIG_CASES} cases @${BIG_CONCURRENCY}, ${LATENCY_MS} ms endpoint: wall vs the limit ${BIG_CASES}/${BIG_CONCURRENCY} × ${LATENCY_MS} ms (goal ratio ≥ 0.9)`, value: big.wallMs, unit: 'ms', baseline: bigLimit });
    reportResult({ name: `eval CLI peak RSS (${BIG_CASES} cases @${BIG_CONCURRENCY}; goal ≤ 150 MB)`, value: big.peakKb / 1024, unit: 'MB', baseline: 150 });
    console.log(`${BIG_CASES}-case run: embedded store ${big.storeMb.toFixed(1)} MB on disk`);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
