// Shared by every bench/*.ts: each result is printed as one line `BENCH {json}` on stdout, which
// bench/runAll.mjs collects into bench/results.json. Benches may print anything else freely.
import { performance } from 'node:perf_hooks';

export const BENCH_PREFIX = 'BENCH ';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What `value` is compared with: a goal, or the slower way it replaces (same unit). */
  baseline: number;
  /** baseline / value for lower-is-better measures, so above 1 means better than the baseline. */
  ratio: number;
}

/** Prints one result; `ratio` defaults to baseline / value (lower-is-better measures). */
export function reportResult(result: Omit<BenchResult, 'ratio'> & { ratio?: number }): BenchResult {
  const r: BenchResult = {
    name: result.name,
    value: round(result.value),
    unit: result.unit,
    baseline: round(result.baseline),
    ratio: round(result.ratio ?? (result.value > 0 ? result.baseline / result.value : Infinity)),
  };
  console.log(BENCH_PREFIX + JSON.stringify(r));
  return r;
}

/** Median wall time in ms of `runs` calls after `warmup` unmeasured ones. */
export async function medianMs(fn: () => unknown, options: { runs?: number; warmup?: number } = {}): Promise<number> {
  const { runs = 5, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  return Math.abs(n) >= 100 ? Math.round(n * 10) / 10 : Math.round(n * 1000) / 1000;
}
