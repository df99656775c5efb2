// Which trials to run next, per search method. grid and random know all their trials up front (so
// the runner can keep trials overlapping); tpe proposes from the finished trials, a batch of
// `parallel` at a time, and waits for the batch before the next: then the proposals depend only
// on the seed and the results, never on which trial happened to finish first.
import { assignmentKey, gridAssignments, gridSize, randomAssignment, type Assignment, type Dimension } from './searchSpace';
import { seededRandom, type Random } from './seededRandom';
import { proposeTpe, type Observation } from './tpe';
import type { Direction } from './objective';
import type { SweepMethod } from './sweepSchema';

export const DEFAULT_TRIALS = 20;
export const DEFAULT_STARTUP_TRIALS = 5;

export interface ProposerOptions {
  method: SweepMethod;
  trials?: number;
  seed?: number;
  startupTrials?: number;
  direction: Direction;
}

export interface TrialProposer {
  /** Total trials this sweep will run (an upper bound for tpe, which stops early when the space is used up). */
  readonly planned: number;
  /** All trials are known now: the runner may start each as soon as a slot frees. */
  readonly upFront: boolean;
  /** Up to `n` new trials given the finished ones; [] when the sweep is done. */
  next(n: number, finished: readonly Observation[]): Assignment[];
}

/** Grid combinations in a discrete space (Infinity when a dimension is a continuous range). */
function finiteSize(dims: readonly Dimension[]): number {
  return dims.some((d) => d.range) ? Infinity : gridSize(dims);
}

export function createProposer(dims: readonly Dimension[], o: ProposerOptions): TrialProposer {
  const rand = seededRandom(o.seed ?? 0);
  if (o.method === 'grid') {
    const all = [...gridAssignments(dims)].slice(0, o.trials ?? Infinity);
    return fixed(all);
  }
  const planned = Math.min(o.trials ?? DEFAULT_TRIALS, finiteSize(dims));
  if (o.method === 'random') return fixed(distinctRandom(dims, planned, rand));
  return tpeProposer(dims, planned, Math.min(o.startupTrials ?? DEFAULT_STARTUP_TRIALS, planned), rand, o.direction);
}

function fixed(all: Assignment[]): TrialProposer {
  let at = 0;
  return {
    planned: all.length,
    upFront: true,
    next(n) {
      const out = all.slice(at, at + n);
      at += out.length;
      return out;
    },
  };
}

/** `count` distinct draws (a repeat teaches nothing in a deterministic space and costs a trial). */
function distinctRandom(dims: readonly Dimension[], count: number, rand: Random, tried = new Set<string>()): Assignment[] {
  const out: Assignment[] = [];
  for (let attempts = 0; out.length < count && attempts < count * 200; attempts++) {
    const a = randomAssignment(dims, rand);
    const key = assignmentKey(a);
    if (tried.has(key)) continue;
    tried.add(key);
    out.push(a);
  }
  return out;
}

function tpeProposer(dims: readonly Dimension[], planned: number, startup: number, rand: Random, direction: Direction): TrialProposer {
  const tried = new Set<string>();
  let proposed = 0;
  return {
    planned,
    upFront: false,
    next(n, finished) {
      const want = Math.min(n, planned - proposed);
      const out: Assignment[] = [];
      for (let i = 0; i < want; i++) {
        const a = proposed < startup || finished.length === 0
          ? distinctRandom(dims, 1, rand, tried)[0]
          : proposeTpe(dims, finished, tried, rand, { direction });
        if (!a) break;
        tried.add(assignmentKey(a));
        out.push(a);
        proposed++;
      }
      return out;
    },
  };
}
