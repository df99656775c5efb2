// Run-level metrics from the case rows, named the way mlflow.genai names its aggregates
// (`<scorer>/mean`) so MLflow's UI groups ours with its own.
import type { CaseRow } from './caseRow';
import { mean, passAtK, percentile } from './stats';
import { metricDirection } from '../compare/metricDirection';

export function aggregateRows(rows: readonly CaseRow[], opts: { repeat: number; passAtK?: readonly number[] }): Record<string, number> {
  const m: Record<string, number> = {};
  const ok = rows.filter((r) => !r.error);
  m.case_count = rows.length;
  m.pass_rate = rows.length ? rows.filter((r) => r.pass).length / rows.length : 0;
  m.error_count = rows.length - ok.length;

  const byScorer = new Map<string, number[]>();
  for (const r of ok) {
    for (const s of r.scores) {
      let list = byScorer.get(s.name);
      if (!list) byScorer.set(s.name, (list = []));
      list.push(s.score);
    }
  }
  for (const [name, values] of byScorer) m[`${name}/mean`] = mean(values)!;

  const latencies = ok.map((r) => r.latencyMs).filter((x): x is number => x !== undefined);
  if (latencies.length) {
    m['latency_ms/p50'] = percentile(latencies, 50)!;
    m['latency_ms/p95'] = percentile(latencies, 95)!;
    m['latency_ms/max'] = Math.max(...latencies);
  }
  m['tokens/input_total'] = ok.reduce((a, r) => a + (r.inputTokens ?? 0), 0);
  m['tokens/output_total'] = ok.reduce((a, r) => a + (r.outputTokens ?? 0), 0);
  m['cost_usd/total'] = ok.reduce((a, r) => a + (r.costUsd ?? 0), 0);
  m.cache_hit_rate = ok.length ? ok.filter((r) => r.cached).length / ok.length : 0;

  if (opts.repeat > 1) {
    const perCase = new Map<number, { n: number; c: number }>();
    for (const r of rows) {
      const e = perCase.get(r.caseIndex) ?? { n: 0, c: 0 };
      e.n++;
      if (r.pass) e.c++;
      perCase.set(r.caseIndex, e);
    }
    const ks = [...new Set(opts.passAtK?.length ? opts.passAtK : [1, opts.repeat])].filter((k) => k <= opts.repeat);
    for (const k of ks) {
      m[`pass_at_${k}`] = mean([...perCase.values()].map(({ n, c }) => passAtK(n, c, k))) ?? 0;
    }
  }
  return m;
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
