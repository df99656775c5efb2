// The space a sweep searches: one dimension per `sweep.parameters` entry, each either a list of
// values (a range with `step` or `int` becomes one) or a continuous range. What a parameter does
// depends on the swept model: openai/anthropic/echo take model parameters (model, temperature,
// top_p, max_tokens, seed); a command provider receives every parameter as an environment
// variable or as arguments, since it gets no sampling parameters at all.
import type { ModelSpec } from '../suiteSchema';
import type { SweepParameterSpec } from './sweepSchema';
import type { Random } from './seededRandom';

export type ParamValue = number | string | boolean;
/** One trial's parameter values, by parameter name. */
export type Assignment = Record<string, ParamValue>;

/** Parameters a model provider takes (the rest of SamplingParams is not swept: stop, response_format). */
export const MODEL_PARAMETERS = ['model', 'temperature', 'top_p', 'max_tokens', 'seed'] as const;

export type ParamTarget =
  | { kind: 'model' }
  | { kind: 'sampling' }
  | { kind: 'env'; name: string }
  | { kind: 'arg'; flag: string };

export interface Dimension {
  name: string;
  target: ParamTarget;
  /** Discrete values in order (lists, stepped or integer ranges). */
  values?: ParamValue[];
  /** Continuous range (no step). */
  range?: { min: number; max: number; log: boolean };
}

export class SweepConfigError extends Error {
  /** Where in the suite the problem is, as a path into the YAML (e.g. ['sweep', 'parameters', 'k']). */
  constructor(message: string, readonly path: (string | number)[], readonly hint?: string) {
    super(message);
    this.name = 'SweepConfigError';
  }
}

/** Points a grid puts on a range without `step`. */
export const GRID_POINTS_PER_RANGE = 5;
/** Most values a stepped range may expand to. */
const MAX_RANGE_VALUES = 10_000;

export function buildSearchSpace(params: Record<string, SweepParameterSpec>, model: ModelSpec): Dimension[] {
  return Object.entries(params).map(([name, spec]) => {
    const at = ['sweep', 'parameters', name];
    const target = targetOf(name, spec, model, at);
    if (Array.isArray(spec)) return { name, target, values: unique(spec) };
    if ('values' in spec) return { name, target, values: unique(spec.values) };
    if (!(spec.max > spec.min)) throw new SweepConfigError(`sweep parameter \`${name}\`: max (${spec.max}) must be above min (${spec.min})`, at, 'swap them, or use `values: [x]` for a single value');
    if (spec.log && spec.min <= 0) throw new SweepConfigError(`sweep parameter \`${name}\`: a log range needs min > 0`, at, 'raise min, or drop `log: true`');
    const isInt = spec.int ?? (target.kind === 'sampling' && (name === 'max_tokens' || name === 'seed'));
    if (spec.step !== undefined || isInt) {
      const step = spec.step ?? 1;
      const n = Math.floor((spec.max - spec.min) / step + 1e-9) + 1;
      if (n > MAX_RANGE_VALUES) throw new SweepConfigError(`sweep parameter \`${name}\`: ${n} values is too many`, at, `use a larger step (at most ${MAX_RANGE_VALUES} values)`);
      const values = Array.from({ length: n }, (_, i) => roundTo(spec.min + i * step, step));
      return { name, target, values: isInt ? unique(values.map(Math.round)) : values };
    }
    return { name, target, range: { min: spec.min, max: spec.max, log: !!spec.log } };
  });
}

function targetOf(name: string, spec: SweepParameterSpec, model: ModelSpec, at: (string | number)[]): ParamTarget {
  const delivery: { env?: string; arg?: string } = Array.isArray(spec) ? {} : spec;
  if (model.provider === 'command') {
    if (delivery.arg) return { kind: 'arg', flag: delivery.arg };
    return { kind: 'env', name: delivery.env ?? name.toUpperCase() };
  }
  if (delivery.env || delivery.arg) throw new SweepConfigError(`sweep parameter \`${name}\`: \`env\`/\`arg\` only apply to a command provider (this sweep's model is ${model.provider})`, at, 'remove them');
  if (name === 'model') {
    if (model.provider === 'echo') throw new SweepConfigError('sweep parameter `model`: the echo provider has no model to vary', at, 'sweep an openai or anthropic model');
    return { kind: 'model' };
  }
  if ((MODEL_PARAMETERS as readonly string[]).includes(name)) return { kind: 'sampling' };
  throw new SweepConfigError(`sweep parameter \`${name}\` is not a model parameter of ${model.provider}`, at, `use one of ${MODEL_PARAMETERS.join(', ')}, or sweep a command provider, which receives any parameter as an environment variable`);
}

function unique(values: ParamValue[]): ParamValue[] {
  return [...new Set(values)];
}

/** Removes float noise from min + i × step (0.1 × 3 = 0.30000000000000004). */
function roundTo(x: number, step: number): number {
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(step)) + 2));
  return Number(x.toFixed(decimals));
}

/** The grid values of one dimension (a continuous range gets GRID_POINTS_PER_RANGE points). */
export function gridValues(d: Dimension): ParamValue[] {
  if (d.values) return d.values;
  const { min, max, log } = d.range!;
  return Array.from({ length: GRID_POINTS_PER_RANGE }, (_, i) => {
    const u = i / (GRID_POINTS_PER_RANGE - 1);
    return Number((log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min)).toPrecision(6));
  });
}

export function gridSize(dims: readonly Dimension[]): number {
  return dims.reduce((n, d) => n * gridValues(d).length, 1);
}

/** Every combination, the first parameter varying slowest (the order the suite lists them). */
export function* gridAssignments(dims: readonly Dimension[]): Generator<Assignment> {
  const lists = dims.map(gridValues);
  const idx = dims.map(() => 0);
  const total = gridSize(dims);
  for (let n = 0; n < total; n++) {
    const a: Assignment = {};
    dims.forEach((d, i) => { a[d.name] = lists[i][idx[i]]; });
    yield a;
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++idx[i] < lists[i].length) break;
      idx[i] = 0;
    }
  }
}

/** A uniform draw from the space (a log range uniformly in log scale). */
export function randomAssignment(dims: readonly Dimension[], rand: Random): Assignment {
  const a: Assignment = {};
  for (const d of dims) a[d.name] = d.values ? d.values[Math.floor(rand() * d.values.length)] : fromUnit(d, rand());
  return a;
}

/** Numeric dimensions in [0, 1] (log-scaled when asked), for the optimizer's densities. */
export function isNumeric(d: Dimension): boolean {
  return !!d.range || d.values!.every((v) => typeof v === 'number');
}

export function toUnit(d: Dimension, v: ParamValue): number {
  const { min, max, log } = bounds(d);
  const x = Number(v);
  if (max === min) return 0.5;
  return log ? (Math.log(x) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (x - min) / (max - min);
}

/** The value at unit position u: on a range, the number; on a list, the nearest value. */
export function fromUnit(d: Dimension, u: number): ParamValue {
  const c = Math.min(1, Math.max(0, u));
  if (d.values) {
    let best = d.values[0];
    let bestDist = Infinity;
    for (const v of d.values) {
      const dist = Math.abs(toUnit(d, v) - c);
      if (dist < bestDist) { best = v; bestDist = dist; }
    }
    return best;
  }
  const { min, max, log } = d.range!;
  return Number((log ? Math.exp(Math.log(min) + c * (Math.log(max) - Math.log(min))) : min + c * (max - min)).toPrecision(6));
}

function bounds(d: Dimension): { min: number; max: number; log: boolean } {
  if (d.range) return d.range;
  // A list is spaced by its values (linear), whatever range it came from.
  const nums = d.values!.map(Number);
  return { min: Math.min(...nums), max: Math.max(...nums), log: false };
}

/** A stable key of an assignment (for "already tried"). */
export function assignmentKey(a: Assignment): string {
  return JSON.stringify(Object.keys(a).sort().map((k) => [k, a[k]]));
}
