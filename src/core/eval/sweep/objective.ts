// What "best" means in a sweep: one metric with a direction, and constraints every counted trial
// must meet. Trials are ranked feasible-first (by the objective), then infeasible ones by how far
// they miss their constraints, then trials with no value (failed runs) last. The Pareto front of
// quality against cost is computed here too, so the panel and the CLI agree on it.
import { metricDirection } from '../../compare/metricDirection';
import type { ConstraintSpec, SweepSpec } from './sweepSchema';
import { SweepConfigError } from './searchSpace';

export type Direction = 'maximize' | 'minimize';

export interface Objective {
  metric: string;
  direction: Direction;
}

export interface Constraint {
  metric: string;
  op: '<=' | '<' | '>=' | '>';
  bound: number;
  /** As the suite wrote it, e.g. `cost_usd/total <= 0.05`. */
  text: string;
}

export interface TrialScore {
  /** The objective metric's value; undefined when the run did not produce it (failed). */
  value?: number;
  feasible: boolean;
  /** Sum of relative misses over the constraints (0 when feasible). */
  violation: number;
  /** Constraints that do not hold, as written. */
  violated: string[];
}

export function objectiveOf(spec: SweepSpec): Objective {
  const o = spec.objective ?? 'pass_rate';
  const metric = typeof o === 'string' ? o : o.metric;
  const given = typeof o === 'string' ? undefined : o.direction;
  if (given) return { metric, direction: given };
  const dir = metricDirection(metric);
  if (dir === 'neutral') throw new SweepConfigError(`sweep objective \`${metric}\`: cannot tell whether higher or lower is better`, ['sweep', 'objective'], `write \`objective: { metric: ${metric}, direction: maximize }\` (or minimize)`);
  return { metric, direction: dir === 'higher' ? 'maximize' : 'minimize' };
}

export function constraintsOf(spec: SweepSpec): Constraint[] {
  return (spec.constraints ?? []).flatMap((c, i) => parseConstraint(c, i));
}

function parseConstraint(c: ConstraintSpec, i: number): Constraint[] {
  if (typeof c === 'string') {
    const m = /^\s*(.+?)\s*(<=|>=|<|>)\s*(\S+)\s*$/.exec(c)!;
    const bound = Number(m[3]);
    if (!Number.isFinite(bound)) throw new SweepConfigError(`sweep constraint \`${c}\`: \`${m[3]}\` is not a number`, ['sweep', 'constraints', i], 'write e.g. `cost_usd/total <= 0.05`');
    return [{ metric: m[1], op: m[2] as Constraint['op'], bound, text: c.trim() }];
  }
  if (c.max === undefined && c.min === undefined) throw new SweepConfigError(`sweep constraint on \`${c.metric}\` has neither max nor min`, ['sweep', 'constraints', i], 'add `max: <number>` or `min: <number>`');
  const out: Constraint[] = [];
  if (c.max !== undefined) out.push({ metric: c.metric, op: '<=', bound: c.max, text: `${c.metric} <= ${c.max}` });
  if (c.min !== undefined) out.push({ metric: c.metric, op: '>=', bound: c.min, text: `${c.metric} >= ${c.min}` });
  return out;
}

function holds(c: Constraint, v: number): boolean {
  switch (c.op) {
    case '<=': return v <= c.bound;
    case '<': return v < c.bound;
    case '>=': return v >= c.bound;
    case '>': return v > c.bound;
  }
}

/** A missing metric counts as a miss (a constraint on cost cannot be judged without a cost). */
export function scoreTrial(metrics: Record<string, number> | undefined, objective: Objective, constraints: readonly Constraint[]): TrialScore {
  const value = metrics?.[objective.metric];
  let violation = 0;
  const violated: string[] = [];
  for (const c of constraints) {
    const v = metrics?.[c.metric];
    if (v !== undefined && Number.isFinite(v) && holds(c, v)) continue;
    violated.push(c.text);
    violation += v === undefined || !Number.isFinite(v) ? 1e9 : Math.abs(v - c.bound) / Math.max(Math.abs(c.bound), 1e-12);
  }
  return { value: value !== undefined && Number.isFinite(value) ? value : undefined, feasible: violated.length === 0 && value !== undefined, violation, violated };
}

/** Negative when a is better than b. Ties keep the earlier trial first (callers sort stably). */
export function compareScores(a: TrialScore, b: TrialScore, direction: Direction): number {
  const tier = (s: TrialScore) => (s.value === undefined ? 2 : s.feasible ? 0 : 1);
  if (tier(a) !== tier(b)) return tier(a) - tier(b);
  if (tier(a) === 1 && a.violation !== b.violation) return a.violation - b.violation;
  if (a.value === undefined || b.value === undefined || a.value === b.value) return 0;
  return direction === 'maximize' ? b.value - a.value : a.value - b.value;
}

/** Index of the best trial (the first among equals), or -1 when there is none with a value. */
export function bestIndex(scores: readonly TrialScore[], direction: Direction): number {
  let best = -1;
  scores.forEach((s, i) => {
    if (s.value === undefined) return;
    if (best < 0 || compareScores(s, scores[best], direction) < 0) best = i;
  });
  return best;
}

/**
 * Indices of the trials no other trial beats on both quality (by `direction`) and cost (lower is
 * better): nothing cheaper is at least as good. Sorted by cost.
 */
export function paretoFront(points: readonly { quality?: number; cost?: number }[], direction: Direction): number[] {
  const sign = direction === 'maximize' ? 1 : -1;
  const idx = points.map((p, i) => ({ ...p, i })).filter((p) => p.quality !== undefined && p.cost !== undefined);
  idx.sort((a, b) => a.cost! - b.cost! || sign * (b.quality! - a.quality!));
  const front: number[] = [];
  let bestQ = -Infinity;
  for (const p of idx) {
    const q = sign * p.quality!;
    if (q > bestQ) {
      front.push(p.i);
      bestQ = q;
    }
  }
  return front;
}
