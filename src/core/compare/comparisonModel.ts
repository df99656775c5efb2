// The view model the compare panel renders. Plain JSON (null, never undefined) so it crosses the
// webview boundary unchanged; src/protocol/compareProtocol.ts holds its runtime schema.
import type { DiffLine } from './lineDiff';
import type { MetricDirection } from './metricDirection';
import type { ScoreValue } from './evalTable';
import type { RunSignificance, SignificanceMethod } from './significance';

export interface RunColumn {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  startTime: number;
  isBaseline: boolean;
}

export interface ParamRow { key: string; values: (string | null)[]; differs: boolean }

export type VsBaseline = 'better' | 'worse' | 'same';

export interface MetricRow {
  key: string;
  direction: MetricDirection;
  values: (number | null)[];
  /** value − baseline value, per run (null where either is missing; 0 for the baseline). */
  deltas: (number | null)[];
  /** delta / |baseline| (null when the baseline is 0 or missing). */
  relDeltas: (number | null)[];
  vsBaseline: (VsBaseline | null)[];
  /** Indexes of the runs holding the best value (empty for neutral metrics or a tie across all). */
  best: number[];
}

export interface PromptDiff {
  runIndex: number;
  /** True when either side has no prompt text recorded. */
  missing: boolean;
  identical: boolean;
  lines: DiffLine[];
}

export interface CaseCell {
  output: string;
  /** Full length of the output; larger than output.length when the host sent a preview. */
  outputLength: number;
  scores: Record<string, ScoreValue>;
  pass: boolean | null;
  latencyMs: number | null;
  costUsd: number | null;
  error: string | null;
}

export interface CaseRow {
  key: string;
  caseId: string | null;
  inputs: string;
  expected: string;
  /** One per run column; null when that run has no row for this case. */
  cells: (CaseCell | null)[];
  /** Output, pass or any score differs between the runs that have this case. */
  changed: boolean;
  /** Some run failed this case (pass false or an error). */
  failing: boolean;
}

export interface LatencyHistogram {
  /** Bin edges in ms, length = bins + 1. */
  edges: number[];
  /** counts[runIndex][bin] */
  counts: number[][];
}

export interface ScatterPoint { runIndex: number; cost: number | null; quality: number | null }

export interface ComparisonModel {
  runs: RunColumn[];
  baselineIndex: number;
  params: ParamRow[];
  metrics: MetricRow[];
  prompts: (string | null)[];
  promptDiffs: PromptDiff[];
  scorerNames: string[];
  cases: CaseRow[];
  /** Each other run against the baseline on their shared cases (runs without a case table: none). */
  significance: RunSignificance[];
  significanceMethod: SignificanceMethod;
  charts: {
    latency: LatencyHistogram | null;
    scatter: { costMetric: string; qualityMetric: string; points: ScatterPoint[] };
  };
}
