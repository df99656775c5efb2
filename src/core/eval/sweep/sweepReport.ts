// What a sweep found, as one JSON document: every trial with its values, metrics and score, the
// best trial and the Pareto front of quality against cost. Stored as the parent run's artifact
// (SWEEP_REPORT_ARTIFACT) and read back by the sweep panel and the CLI.
import YAML from 'yaml';
import type { RunStatus } from '../../tracking/types';
import { bestIndex, paretoFront, type TrialScore } from './objective';
import type { Assignment } from './searchSpace';
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
  trials: SweepTrial[];
  /** Trial number of the best feasible trial (else the least infeasible one). */
  best?: number;
  /** The metric on the front's cost axis: cost_usd/total when any trial cost money, else latency. */
  costMetric: string;
  /** Trial numbers on the Pareto front of the objective against costMetric, cheapest first. */
  pareto: number[];
  /** The best trial's model entry as YAML to paste over the suite's `models:` (absent when rebuilt from runs). */
  bestYaml?: string;
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
    trials, best: b >= 0 ? trials[b].number : undefined, costMetric, pareto,
    bestYaml: b >= 0 ? bestConfigYaml(plan, trials, trials[b]) : undefined,
  };
}

/** The best trial's model entry as YAML to paste over the suite's `models:`, with what it scored. */
function bestConfigYaml(plan: SweepPlan, trials: readonly SweepTrial[], best: SweepTrial): string {
  const model = trialModel(plan.base, plan.dims, best.params);
  const { metric, direction } = plan.objective;
  const constraints = plan.constraints.map((c) => c.text);
  const header = [
    `# best of ${trials.length} trials (${plan.method}${plan.method === 'grid' ? '' : `, seed ${plan.seed}`}): ${metric} = ${best.value} (${direction})`,
    ...(constraints.length ? [`# subject to ${constraints.join(', ')}${best.feasible ? '' : ' — NOT met by any trial'}`] : []),
    `# run ${best.runId ?? '?'} · ${Object.entries(best.params).map(([k, v]) => `${k}=${v}`).join(', ')}`,
  ];
  return `${header.join('\n')}\n${YAML.stringify({ models: [model] })}`;
}
