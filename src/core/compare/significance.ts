// Real change or noise? For two runs on the same cases: the paired difference (candidate −
// baseline) in pass rate and in each scorer's mean, with a 95 % confidence interval from a paired
// bootstrap over cases with a fixed seed (so the same two runs always give the same interval).
// With repeats (n samples per case) the bootstrap is two-stage: each resampled case also redraws
// its n samples on both sides, so each case's own variance across repeats widens the interval.
// An interval that includes 0 is "within noise". For pass/fail without repeats the exact McNemar
// test on the discordant cases is reported beside it as a cross-check (p-value only).
import { sortedPercentile } from '../eval/stats';
import type { EvalCase } from './evalTable';
import { metricDirection } from './metricDirection';
import { mulberry32 } from '../eval/sweep/seededRandom';

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 20_240_611;
export const CONFIDENCE = 0.95;

export type Verdict = 'better' | 'worse' | 'changed' | 'within noise';

export interface SignificanceRow {
  /** `pass_rate` or `<scorer>/mean`, as the run metrics are named. */
  metric: string;
  /** Means over the paired cases (per case: the mean of its repeats). */
  baseline: number;
  candidate: number;
  delta: number;
  low: number;
  high: number;
  verdict: Verdict;
  /** Cases that have this metric on both sides. */
  n: number;
  /** Exact McNemar two-sided p (pass_rate, one sample per case on each side); null otherwise. */
  mcnemarP: number | null;
}

export interface RunSignificance {
  /** The candidate's column; the baseline is the comparison's baseline. */
  runIndex: number;
  pairedCases: number;
  /** Cases only one side has (left out of every row). */
  unpairedCases: number;
  /** Most samples any case has, per side: [baseline, candidate]. */
  repeats: [number, number];
  rows: SignificanceRow[];
}

export interface SignificanceMethod { name: 'paired bootstrap'; resamples: number; seed: number; confidence: number }

export const SIGNIFICANCE_METHOD: SignificanceMethod = { name: 'paired bootstrap', resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED, confidence: CONFIDENCE };

/** One case's samples on one side: metric → values (pass as 0/1, scores as numbers). */
type Samples = Map<string, number[]>;


/** The case a table row belongs to: its id, else its inputs (repeats carry a `#n` suffix). */
function caseKey(c: EvalCase): string {
  return c.caseId !== undefined ? `id:${c.caseId}` : c.key.replace(/#\d+$/, '');
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function samplesByCase(rows: readonly EvalCase[]): Map<string, Samples> {
  const out = new Map<string, Samples>();
  for (const r of rows) {
    const key = caseKey(r);
    let s = out.get(key);
    if (!s) { s = new Map(); out.set(key, s); }
    const push = (m: string, v: number | undefined) => { if (v !== undefined) (s!.get(m) ?? s!.set(m, []).get(m)!).push(v); };
    // An errored row failed: it counts against the pass rate, as in the run's own metric.
    push('pass_rate', r.pass === undefined ? (r.error ? 0 : undefined) : r.pass ? 1 : 0);
    for (const [name, v] of Object.entries(r.scores)) push(`${name}/mean`, numeric(v));
  }
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Two-sided exact McNemar p-value from the discordant counts. */
export function mcnemarExact(onlyBaseline: number, onlyCandidate: number): number {
  const n = onlyBaseline + onlyCandidate;
  if (n === 0) return 1;
  const k = Math.min(onlyBaseline, onlyCandidate);
  // P(X ≤ k) for X ~ Binomial(n, 1/2), in log space so large n does not overflow.
  let logC = 0;
  let cdf = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    cdf += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * cdf);
}

/**
 * The paired interval for one metric. `pairs` holds, per case, the baseline and candidate samples.
 * Each metric gets its own generator from the fixed seed, so its interval does not depend on
 * which other metrics are compared.
 */
export function pairedBootstrap(pairs: readonly [number[], number[]][], resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED, confidence = CONFIDENCE): { delta: number; low: number; high: number } {
  const n = pairs.length;
  const diffs = pairs.map(([a, b]) => mean(b) - mean(a));
  const delta = mean(diffs);
  const repeated = pairs.some(([a, b]) => a.length > 1 || b.length > 1);
  const rand = mulberry32(seed);
  const draw = (xs: number[]) => {
    if (xs.length === 1) return xs[0];
    let s = 0;
    for (let k = 0; k < xs.length; k++) s += xs[Math.floor(rand() * xs.length)];
    return s / xs.length;
  };
  const stats = new Float64Array(resamples);
  const table = repeated ? undefined : indexTable(n, resamples, seed);
  if (table) {
    const d = Float64Array.from(diffs);
    for (let r = 0, off = 0; r < resamples; r++, off += n) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += d[table[off + j]];
      stats[r] = sum / n;
    }
  } else {
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const i = Math.floor(rand() * n);
        sum += repeated ? draw(pairs[i][1]) - draw(pairs[i][0]) : diffs[i];
      }
      stats[r] = sum / n;
    }
  }
  const sorted = stats.sort();
  const alpha = (1 - confidence) / 2;
  return { delta, low: sortedPercentile(sorted, alpha * 100), high: sortedPercentile(sorted, (1 - alpha) * 100) };
}

// Without repeats every metric of every run pair with n cases draws the same case indices (one
// seed), so they are drawn once and kept: the compare panel's 10 runs × 1,000 cases stay quick.
const MAX_TABLE_ENTRIES = 4_000_000;
const tables = new Map<string, Uint32Array>();
function indexTable(n: number, resamples: number, seed: number): Uint32Array | undefined {
  if (n * resamples > MAX_TABLE_ENTRIES) return undefined;
  const key = `${n}:${resamples}:${seed}`;
  let t = tables.get(key);
  if (!t) {
    const rand = mulberry32(seed);
    t = new Uint32Array(n * resamples);
    for (let k = 0; k < t.length; k++) t[k] = Math.floor(rand() * n);
    if (tables.size >= 8) tables.delete(tables.keys().next().value as string);
    tables.set(key, t);
  }
  return t;
}

function verdictOf(metric: string, low: number, high: number, delta: number): Verdict {
  // A tiny tolerance: an interval of [0, 0] or one that touches 0 through float noise is noise.
  const eps = 1e-12;
  if (low <= eps && high >= -eps) return 'within noise';
  const dir = metricDirection(metric);
  if (dir === 'neutral') return 'changed';
  return (dir === 'higher') === delta > 0 ? 'better' : 'worse';
}

/** Candidate vs baseline, on the cases both ran. */
export function compareSignificance(baseline: readonly EvalCase[], candidate: readonly EvalCase[], runIndex: number): RunSignificance {
  const a = samplesByCase(baseline);
  const b = samplesByCase(candidate);
  const paired = [...a.keys()].filter((k) => b.has(k));
  const unpaired = a.size + b.size - 2 * paired.length;
  const maxRepeats = (m: Map<string, Samples>) => Math.max(0, ...[...m.values()].map((s) => s.get('pass_rate')?.length ?? Math.max(0, ...[...s.values()].map((v) => v.length))));
  const metrics = [...new Set(paired.flatMap((k) => [...a.get(k)!.keys()].filter((m) => b.get(k)!.has(m))))]
    .sort((x, y) => (x === 'pass_rate' ? -1 : y === 'pass_rate' ? 1 : x.localeCompare(y)));
  const rows: SignificanceRow[] = [];
  for (const metric of metrics) {
    const pairs = paired.flatMap((k): [number[], number[]][] => {
      const va = a.get(k)!.get(metric);
      const vb = b.get(k)!.get(metric);
      return va?.length && vb?.length ? [[va, vb]] : [];
    });
    if (pairs.length === 0) continue;
    const { delta, low, high } = pairedBootstrap(pairs);
    let mcnemarP: number | null = null;
    if (metric === 'pass_rate' && pairs.every(([x, y]) => x.length === 1 && y.length === 1)) {
      const onlyA = pairs.filter(([x, y]) => x[0] === 1 && y[0] === 0).length;
      const onlyB = pairs.filter(([x, y]) => x[0] === 0 && y[0] === 1).length;
      mcnemarP = mcnemarExact(onlyA, onlyB);
    }
    rows.push({
      metric, n: pairs.length, delta, low, high, mcnemarP,
      baseline: mean(pairs.map(([x]) => mean(x))), candidate: mean(pairs.map(([, y]) => mean(y))),
      verdict: verdictOf(metric, low, high, delta),
    });
  }
  return { runIndex, pairedCases: paired.length, unpairedCases: unpaired, repeats: [maxRepeats(a), maxRepeats(b)], rows };
}

/** Significant regressions: rows whose interval excludes 0 on the worse side. */
export function regressions(s: RunSignificance): SignificanceRow[] {
  return s.rows.filter((r) => r.verdict === 'worse');
}
