// What a sweep found, as one JSON document: every trial with its values, metrics and score, the
// best trial and the Pareto front of quality against cost. Stored as the parent run's artifact
// (SWEEP_REPORT_ARTIFACT) and read back by the sweep panel and the CLI.
import YAML from 'yaml';
import type { RunStatus } from '../../tracking/types';
import type { ModelSpec } from '../suiteSchema';
import { bestIndex, paretoFront, type TrialScore } from './objective';
import type { Assignment, Dimension } from './searchSpace';
import type { SweepPlan } from './sweepPlan';
import { trialModel } from './trialSuite';

export const SWEEP_REPORT_VERSION = 1;

export interface SweepTrial {
  /** 1-based, in the order trials were proposed. */
  number: number;
  runId?: string;
  params: Assignment;
  status: RunStatus;
  metrics: Record<string, number>;
  /** The objective's value (absent when the run produced none). */
  value?: number;
  feasible: boolean;
  violated: string[];
  error?: string;
}

export interface SweepReport {
  version: number;
  suite: string;
  method: string;
  seed: number;
  objective: { metric: string; direction: 'maximize' | 'minimize' };
  constraints: string[];
  parameters: { name: string; values?: (number | string | boolean)[]; range?: { min: number; max: number; log: boolean } }[];
  /** The swept model entry as the suite has it (the trials' values go on top). */
  baseModel: ModelSpec;
  trials: SweepTrial[];
  /** Trial number of the best feasible trial (else the least infeasible one). */
  best?: number;
  /** The metric on the front's cost axis: cost_usd/total when any trial cost money, else latency. */
  costMetric: string;
  /** Trial numbers on the Pareto front of the objective against costMetric, cheapest first. */
  pareto: number[];
}

export function scoreOf(t: SweepTrial): TrialScore {
  return { value: t.value, feasible: t.feasible, violation: 0, violated: t.violated };
}

export function buildSweepReport(plan: SweepPlan, suiteRel: string, trials: SweepTrial[], scores: TrialScore[]): SweepReport {
  const b = bestIndex(scores, plan.objective.direction);
  const costMetric = trials.some((t) => (t.metrics['cost_usd/total'] ?? 0) > 0) ? 'cost_usd/total' : 'latency_ms/p50';
  const pareto = paretoFront(trials.map((t) => ({ quality: t.value, cost: t.metrics[costMetric] })), plan.objective.direction).map((i) => trials[i].number);
  return {
    version: SWEEP_REPORT_VERSION, suite: suiteRel, method: plan.method, seed: plan.seed, objective: plan.objective,
    constraints: plan.constraints.map((c) => c.text),
    parameters: plan.dims.map((d) => ({ name: d.name, values: d.values, range: d.range })),
    baseModel: plan.base, trials, best: b >= 0 ? trials[b].number : undefined, costMetric, pareto,
  };
}

/** The best trial's model entry as YAML to paste over the suite's `models:`, with what it scored. */
export function bestConfigYaml(report: SweepReport, dims: readonly Dimension[]): string | undefined {
  const best = report.trials.find((t) => t.number === report.best);
  if (!best) return undefined;
  const model = trialModel(report.baseModel, dims, best.params);
  const { metric, direction } = report.objective;
  const header = [
    `# best of ${report.trials.length} trials (${report.method}${report.method === 'grid' ? '' : `, seed ${report.seed}`}): ${metric} = ${best.value} (${direction})`,
    ...(report.constraints.length ? [`# subject to ${report.constraints.join(', ')}${best.feasible ? '' : ' — NOT met by any trial'}`] : []),
    `# run ${best.runId ?? '?'} · ${Object.entries(best.params).map(([k, v]) => `${k}=${v}`).join(', ')}`,
  ];
  return `${header.join('\n')}\n${YAML.stringify({ models: [model] })}`;
}
