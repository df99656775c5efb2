// Builds the compare panel's view model from runs, their per-case tables and prompt texts.
import type { Run } from '../tracking/types';
import { joinCases } from './caseJoin';
import type { ComparisonModel, LatencyHistogram, MetricRow, ParamRow, PromptDiff, RunColumn, ScatterPoint, VsBaseline } from './comparisonModel';
import { readEvalCases, type EvalTable } from './evalTable';
import { diffLines } from './lineDiff';
import { compareByDirection, metricDirection } from './metricDirection';
import { compareSignificance, SIGNIFICANCE_METHOD, type RunSignificance } from './significance';

const LATENCY_BINS = 20;

export function buildComparison(
  runs: Run[],
  tables: Map<string, EvalTable | undefined>,
  prompts: Map<string, string | undefined>,
  baselineRunId?: string,
): ComparisonModel {
  if (runs.length === 0) throw new Error('buildComparison: no runs given; select at least one run to compare');
  const found = baselineRunId ? runs.findIndex((r) => r.info.runId === baselineRunId) : 0;
  const baselineIndex = found >= 0 ? found : 0;

  const columns: RunColumn[] = runs.map((r, i) => ({
    runId: r.info.runId,
    runName: r.info.runName || r.info.runId,
    experimentId: r.info.experimentId,
    status: r.info.status,
    startTime: r.info.startTime,
    isBaseline: i === baselineIndex,
  }));

  const params = buildParams(runs);
  const metrics = buildMetrics(runs, baselineIndex);
  const promptTexts = runs.map((r) => prompts.get(r.info.runId) ?? null);
  const promptDiffs = buildPromptDiffs(promptTexts, baselineIndex);
  const perRun = runs.map((r) => { const t = tables.get(r.info.runId); return t ? readEvalCases(t) : undefined; });
  const cases = joinCases(perRun);
  const scorerNames = [...new Set(perRun.flatMap((cs) => (cs ?? []).flatMap((c) => Object.keys(c.scores))))].sort();

  return {
    runs: columns,
    baselineIndex,
    params,
    metrics,
    prompts: promptTexts,
    promptDiffs,
    scorerNames,
    cases,
    significance: significanceVsBaseline(perRun, baselineIndex),
    significanceMethod: SIGNIFICANCE_METHOD,
    charts: {
      latency: latencyHistogram(perRun.map((cs) => (cs ?? []).flatMap((c) => (c.latencyMs === undefined ? [] : [c.latencyMs])))),
      scatter: scatter(metrics),
    },
  };
}

function significanceVsBaseline(perRun: (ReturnType<typeof readEvalCases> | undefined)[], baselineIndex: number): RunSignificance[] {
  const base = perRun[baselineIndex];
  if (!base) return [];
  return perRun.flatMap((cases, i) => (i === baselineIndex || !cases ? [] : [compareSignificance(base, cases, i)]));
}

function buildParams(runs: Run[]): ParamRow[] {
  const keys = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
  return keys.map((key) => {
    const values = runs.map((r) => r.data.params.find((p) => p.key === key)?.value ?? null);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

/** Quality first, then latency, tokens, cost, the rest alphabetically. */
function metricRank(key: string): number {
  if (key === 'pass_rate') return 0;
  if (key.endsWith('/mean')) return 1;
  if (key.startsWith('latency')) return 2;
  if (key.startsWith('tokens')) return 3;
  if (key.startsWith('cost')) return 4;
  return 5;
}

export function buildMetrics(runs: Run[], baselineIndex: number): MetricRow[] {
  const keys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))]
    .sort((a, b) => metricRank(a) - metricRank(b) || a.localeCompare(b));
  return keys.map((key) => {
    const direction = metricDirection(key);
    const values = runs.map((r) => latestMetric(r, key));
    const base = values[baselineIndex];
    const deltas = values.map((v) => (v === null || base === null ? null : v - base));
    const relDeltas = deltas.map((d) => (d === null || base === null || base === 0 ? null : d / Math.abs(base)));
    const vsBaseline = values.map((v): VsBaseline | null => {
      if (v === null || base === null || direction === 'neutral') return null;
      const c = compareByDirection(direction, v, base);
      return c < 0 ? 'better' : c > 0 ? 'worse' : 'same';
    });
    return { key, direction, values, deltas, relDeltas, vsBaseline, best: bestIndexes(values, direction) };
  });
}

function latestMetric(run: Run, key: string): number | null {
  let best: { value: number; timestamp: number; step: number } | null = null;
  for (const m of run.data.metrics) {
    if (m.key !== key) continue;
    if (!best || m.step > best.step || (m.step === best.step && m.timestamp >= best.timestamp)) best = m;
  }
  return best && Number.isFinite(best.value) ? best.value : null;
}

function bestIndexes(values: (number | null)[], direction: 'higher' | 'lower' | 'neutral'): number[] {
  if (direction === 'neutral') return [];
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) return [];
  const target = direction === 'higher' ? Math.max(...present) : Math.min(...present);
  const idx = values.flatMap((v, i) => (v === target ? [i] : []));
  return idx.length === present.length ? [] : idx;
}

function buildPromptDiffs(texts: (string | null)[], baselineIndex: number): PromptDiff[] {
  const base = texts[baselineIndex];
  return texts.flatMap((t, runIndex): PromptDiff[] => {
    if (runIndex === baselineIndex) return [];
    if (base === null || t === null) return [{ runIndex, missing: true, identical: false, lines: [] }];
    const lines = diffLines(base, t);
    return [{ runIndex, missing: false, identical: lines.every((l) => l.op === 'equal'), lines }];
  });
}

export function latencyHistogram(perRun: number[][]): LatencyHistogram | null {
  const all = perRun.flat();
  if (all.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of all) { if (v < min) min = v; if (v > max) max = v; }
  const width = max > min ? (max - min) / LATENCY_BINS : 1;
  const edges = Array.from({ length: LATENCY_BINS + 1 }, (_, i) => min + i * width);
  const counts = perRun.map((vals) => {
    const c = new Array<number>(LATENCY_BINS).fill(0);
    for (const v of vals) c[Math.min(LATENCY_BINS - 1, Math.floor((v - min) / width))]++;
    return c;
  });
  return { edges, counts };
}

function scatter(metrics: MetricRow[]): { costMetric: string; qualityMetric: string; points: ScatterPoint[] } {
  const cost = metrics.find((m) => m.key === 'cost_usd/total') ?? metrics.find((m) => m.key.startsWith('cost'));
  const quality = metrics.find((m) => m.key === 'pass_rate') ?? metrics.find((m) => m.direction === 'higher');
  const n = (cost ?? quality)?.values.length ?? 0;
  return {
    costMetric: cost?.key ?? '',
    qualityMetric: quality?.key ?? '',
    points: Array.from({ length: n }, (_, runIndex) => ({ runIndex, cost: cost?.values[runIndex] ?? null, quality: quality?.values[runIndex] ?? null })),
  };
}
