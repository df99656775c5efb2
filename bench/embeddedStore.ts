// The embedded store at 10,000 runs (each ~10 params, ~10 metrics, a few tags): write cost per run,
// cold open in a fresh process (as written, and after compaction), searchRuns first page
// (maxResults 100, ordered by a metric, filtered) and all pages, and the reader's peak RSS.
// Prints `BENCH {json}` lines (bench/report.ts); baselines are the goals we hold the store to.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { reportResult } from './report';

const RUNS = Number(process.env.BENCH_EMBEDDED_RUNS ?? 10_000);
const FILTER = "params.model = 'model-3' AND metrics.pass_rate > 0.5";
const ORDER = ['metrics.pass_rate DESC'];

interface ReaderResult { openMs: number; firstPageMs: number; firstPageCount: number; allPagesMs: number; pages: number; total: number; peakRssMb: number }

/** Runs in a fresh process: what the extension or CLI pays when it starts on an existing store. */
async function reader(dir: string): Promise<void> {
  const t0 = performance.now();
  const store = await openEmbeddedStore(dir);
  const openMs = performance.now() - t0;
  const exp = (await store.getExperimentByName('bench'))!.experimentId;
  const t1 = performance.now();
  const first = await store.searchRuns({ experimentIds: [exp], filter: FILTER, orderBy: ORDER, maxResults: 100 });
  const firstPageMs = performance.now() - t1;
  const t2 = performance.now();
  let pageToken: string | undefined;
  let pages = 0;
  let total = 0;
  do {
    const page = await store.searchRuns({ experimentIds: [exp], orderBy: ORDER, maxResults: 100, pageToken });
    total += page.items.length;
    pages++;
    pageToken = page.nextPageToken;
  } while (pageToken);
  const allPagesMs = performance.now() - t2;
  await store.close();
  const result: ReaderResult = { openMs, firstPageMs, firstPageCount: first.items.length, allPagesMs, pages, total, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runReader(dir: string): Promise<ReaderResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--reader', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ReaderResult) : reject(new Error(`reader exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-embedded-'));
  try {
    const store = await openEmbeddedStore(dir);
    const exp = await store.createExperiment('bench');
    const models = ['model-0', 'model-1', 'model-2', 'model-3', 'model-4'];
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i++) {
      const run = await store.createRun({
        experimentId: exp, runName: `run-${i}`, startTime: 1_700_000_000_000 + i * 1000,
        tags: [{ key: 'mlflow.source.git.commit', value: (i * 2654435761 >>> 0).toString(16) }, { key: 'suite', value: 'summarize' }, { key: 'team', value: `t${i % 7}` }],
      });
      await store.logBatch(run.info.runId, {
        params: [
          { key: 'model', value: models[i % models.length] }, { key: 'temperature', value: String((i % 10) / 10) }, { key: 'top_p', value: '1' },
          { key: 'max_tokens', value: '512' }, { key: 'prompt.name', value: 'summarize' }, { key: 'prompt.path', value: 'prompts/summarize.prompty' },
          { key: 'prompt.hash', value: `sha256:${i.toString(16).padStart(16, '0')}` }, { key: 'dataset.path', value: 'data/cases.jsonl' },
          { key: 'dataset.hash', value: 'sha256:abcdef' }, { key: 'scorers', value: 'exact,contains,llm_judge' },
        ],
        metrics: [
          ['pass_rate', ((i * 7919) % 1000) / 1000], ['exact/mean', (i % 13) / 13], ['contains/mean', (i % 17) / 17], ['latency_ms/p50', 200 + (i % 300)],
          ['latency_ms/p95', 600 + (i % 900)], ['tokens_in', 1000 + i], ['tokens_out', 300 + (i % 200)], ['cost_usd', (i % 50) / 1000],
          ['cache_hit_rate', (i % 4) / 4], ['errors', i % 3],
        ].map(([key, value]) => ({ key: key as string, value: value as number, timestamp: 1_700_000_000_000 + i * 1000, step: 0 })),
      });
      await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: 1_700_000_000_000 + i * 1000 + 500 });
    }
    const writeMs = performance.now() - t0;
    await store.close();
    const perRun = writeMs / RUNS;
    console.log(`created ${RUNS} runs in ${(writeMs / 1000).toFixed(1)} s (3 acknowledged, fsynced writes per run)`);
    reportResult({ name: `embedded: write one eval run (create + logBatch 10 params/10 metrics + finish), ${RUNS} runs (goal < 15 ms)`, value: perRun, unit: 'ms', baseline: 15 });

    const asWritten = await runReader(dir);
    console.log(`as written: ${JSON.stringify(asWritten)} (log ${(fs.statSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('log-'))!)).size / 1e6).toFixed(1)} MB)`);
    const compactStore = await openEmbeddedStore(dir);
    await compactStore.compact();
    await compactStore.close();
    const compacted = await runReader(dir);
    console.log(`after compaction: ${JSON.stringify(compacted)}`);
    if (compacted.total !== RUNS || asWritten.total !== RUNS) throw new Error(`expected ${RUNS} runs, read ${asWritten.total}/${compacted.total}`);

    reportResult({ name: `embedded: cold open of ${RUNS} runs in a fresh process, as written (goal < 2000 ms)`, value: asWritten.openMs, unit: 'ms', baseline: 2000 });
    reportResult({ name: `embedded: cold open of ${RUNS} runs in a fresh process, after compaction (goal < 2000 ms)`, value: compacted.openMs, unit: 'ms', baseline: 2000 });
    reportResult({ name: `embedded: searchRuns first page (100, filter + order by metric) over ${RUNS} runs (goal < 50 ms)`, value: compacted.firstPageMs, unit: 'ms', baseline: 50 });
    reportResult({ name: `embedded: searchRuns all ${compacted.pages} pages of 100 ordered by metric over ${RUNS} runs (goal < 2000 ms)`, value: compacted.allPagesMs, unit: 'ms', baseline: 2000 });
    reportResult({ name: `embedded: peak RSS of a process that opens and searches ${RUNS} runs (goal < 512 MB)`, value: Math.max(asWritten.peakRssMb, compacted.peakRssMb), unit: 'MB', baseline: 512 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--reader') {
  reader(process.argv[3]).catch((e: unknown) => { console.error(e); process.exit(1); });
} else {
  main().catch((e: unknown) => { console.error(e); process.exit(1); });
}
