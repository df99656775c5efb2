// Run-level metrics from the case rows, named the way mlflow.genai names its aggregates
// (`<scorer>/mean`) so MLflow's UI groups ours with its own.
import type { CaseRow } from './caseRow';
import { mean, passAtK, sortedPercentile } from './stats';
import { metricDirection } from '../compare/metricDirection';

/**
 * The same metrics as aggregateRows, fed one row at a time so a run's metrics never need all its
 * rows in memory: sums and counts per metric, plus the latencies (8 bytes a row, so the
 * percentiles stay exact) and pass counts per case for pass@k. Exact, not a sketch.
 */
export class RunAggregator {
  private rows = 0;
  private passed = 0;
  private errors = 0;
  private ok = 0;
  private cachedOk = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private costUsd = 0;
  private readonly scorerSums = new Map<string, { sum: number; n: number }>();
  private latencies = new Float64Array(1024);
  private latencyCount = 0;
  private readonly perCase = new Map<string | number, { n: number; c: number }>();

  constructor(private readonly opts: { repeat: number; passAtK?: readonly number[] }) {}

  /** `caseKey` groups a case's samples for pass@k (default: the row's case index). */
  add(r: CaseRow, caseKey: string | number = r.caseIndex): void {
    this.rows++;
    if (r.pass) this.passed++;
    if (this.opts.repeat > 1) {
      const e = this.perCase.get(caseKey) ?? { n: 0, c: 0 };
      e.n++;
      if (r.pass) e.c++;
      this.perCase.set(caseKey, e);
    }
    if (r.error) {
      this.errors++;
      return;
    }
    this.ok++;
    for (const s of r.scores) {
      const e = this.scorerSums.get(s.name);
      if (e) { e.sum += s.score; e.n++; } else this.scorerSums.set(s.name, { sum: s.score, n: 1 });
    }
    if (r.latencyMs !== undefined) {
      if (this.latencyCount === this.latencies.length) {
        const grown = new Float64Array(this.latencies.length * 2);
        grown.set(this.latencies);
        this.latencies = grown;
      }
      this.latencies[this.latencyCount++] = r.latencyMs;
    }
    this.inputTokens += r.inputTokens ?? 0;
    this.outputTokens += r.outputTokens ?? 0;
    this.costUsd += r.costUsd ?? 0;
    if (r.cached) this.cachedOk++;
  }

  metrics(): Record<string, number> {
    const m: Record<string, number> = {};
    m.case_count = this.rows;
    m.pass_rate = this.rows ? this.passed / this.rows : 0;
    m.error_count = this.errors;
    for (const [name, { sum, n }] of this.scorerSums) m[`${name}/mean`] = sum / n;
    if (this.latencyCount) {
      const sorted = this.latencies.slice(0, this.latencyCount).sort();
      m['latency_ms/p50'] = sortedPercentile(sorted, 50);
      m['latency_ms/p95'] = sortedPercentile(sorted, 95);
      m['latency_ms/max'] = sorted[sorted.length - 1];
    }
    m['tokens/input_total'] = this.inputTokens;
    m['tokens/output_total'] = this.outputTokens;
    // Rounded to a picodollar: cases finish in any order (a resumed run adds them in another), and
    // float sums in another order differ in the last bits; money below 1e-12 USD is noise.
    m['cost_usd/total'] = Math.round(this.costUsd * 1e12) / 1e12;
    m.cache_hit_rate = this.ok ? this.cachedOk / this.ok : 0;
    if (this.opts.repeat > 1) {
      const ks = [...new Set(this.opts.passAtK?.length ? this.opts.passAtK : [1, this.opts.repeat])].filter((k) => k <= this.opts.repeat);
      for (const k of ks) m[`pass_at_${k}`] = mean([...this.perCase.values()].map(({ n, c }) => passAtK(n, c, k))) ?? 0;
    }
    return m;
  }
}

export function aggregateRows(rows: readonly CaseRow[], opts: { repeat: number; passAtK?: readonly number[] }): Record<string, number> {
  const a = new RunAggregator(opts);
  for (const r of rows) a.add(r);
  return a.metrics();
}

export interface ThresholdCheck {
  metric: string;
  /** 'min': value must be ≥ limit; 'max': value must be ≤ limit (latency, cost, tokens, errors). */
  op: 'min' | 'max';
  limit: number;
  /** undefined when the run produced no such metric (the check fails). */
  value?: number;
  pass: boolean;
}

/**
 * Checks `thresholds:` (and a --min-pass-rate override) against the metrics. A bare scorer name
 * (`contains: 0.9`) means its mean. Lower-is-better metrics (latency, cost, tokens, errors) are maxima.
 */
export function checkThresholds(metrics: Record<string, number>, thresholds: Record<string, number | undefined> | undefined, minPassRate?: number): ThresholdCheck[] {
  const wanted: Record<string, number> = {};
  for (const [k, v] of Object.entries(thresholds ?? {})) if (v !== undefined) wanted[k] = v;
  if (minPassRate !== undefined) wanted.pass_rate = minPassRate;
  return Object.entries(wanted).map(([key, limit]) => {
    const metric = key in metrics || key.includes('/') || key === 'pass_rate' || key.startsWith('pass_at_') ? key : `${key}/mean`;
    const value = metrics[metric];
    const op = metricDirection(metric) === 'lower' ? 'max' : 'min';
    const pass = value !== undefined && (op === 'min' ? value >= limit : value <= limit);
    return { metric, op, limit, value, pass };
  });
}
