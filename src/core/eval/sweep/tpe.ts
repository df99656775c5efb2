// The optimizer: a Tree-structured Parzen Estimator (Bergstra et al. 2011, as hyperopt and Optuna
// use it). The trials so far are split into the best quarter ("good") and the rest; per
// parameter, a Parzen density (Gaussian kernels on a [0, 1] scale, or smoothed counts for
// categories) is fitted to each group, candidates are drawn from the good density, and the one
// with the highest good/bad density ratio is proposed. Parameters are treated independently,
// like hyperopt's default. Written here rather than taken from npm: the JavaScript ports are
// unmaintained (`hyperparameters` ships browserify and travis as runtime dependencies) and this is
// ~120 lines with our seeded generator, so a seed always proposes the same trials.
import { compareScores, type Direction, type TrialScore } from './objective';
import { assignmentKey, fromUnit, isNumeric, randomAssignment, toUnit, type Assignment, type Dimension, type ParamValue } from './searchSpace';
import { gaussian, type Random } from './seededRandom';

export interface Observation {
  assignment: Assignment;
  score: TrialScore;
}

export interface TpeOptions {
  direction: Direction;
  /** Fraction of the trials counted as good (default 0.25, at least one trial). */
  gamma?: number;
  /** Candidates drawn from the good density per proposal (default 24, as hyperopt). */
  candidates?: number;
}

/** Proposes one assignment not in `tried`, or undefined when none could be found (space used up). */
export function proposeTpe(dims: readonly Dimension[], history: readonly Observation[], tried: ReadonlySet<string>, rand: Random, opts: TpeOptions): Assignment | undefined {
  const ranked = [...history].sort((a, b) => compareScores(a.score, b.score, opts.direction));
  const nGood = Math.max(1, Math.ceil((opts.gamma ?? 0.25) * ranked.length));
  const good = ranked.slice(0, nGood).map((o) => o.assignment);
  const bad = ranked.slice(nGood).map((o) => o.assignment);
  const models = dims.map((d) => ({ d, l: parzen(d, good.map((a) => a[d.name])), g: parzen(d, bad.map((a) => a[d.name])) }));

  let best: Assignment | undefined;
  let bestScore = -Infinity;
  const n = opts.candidates ?? 24;
  for (let c = 0; c < n; c++) {
    const a: Assignment = {};
    let score = 0;
    for (const { d, l, g } of models) {
      const v = l.sample(rand);
      a[d.name] = v;
      score += Math.log(l.density(v)) - Math.log(g.density(v));
    }
    if (tried.has(assignmentKey(a))) continue;
    if (score > bestScore) { best = a; bestScore = score; }
  }
  if (best) return best;
  // Every candidate was tried already: fall back to an untried random point.
  for (let i = 0; i < 200; i++) {
    const a = randomAssignment(dims, rand);
    if (!tried.has(assignmentKey(a))) return a;
  }
  return undefined;
}

interface Density {
  sample(rand: Random): ParamValue;
  density(v: ParamValue): number;
}

/** A Parzen estimator of one parameter from observed values, with a uniform prior component. */
function parzen(d: Dimension, observed: readonly ParamValue[]): Density {
  return isNumeric(d) ? numericParzen(d, observed) : categoricalParzen(d, observed);
}

function numericParzen(d: Dimension, observed: readonly ParamValue[]): Density {
  const mus = observed.map((v) => toUnit(d, v));
  const n = mus.length;
  // Scott-like bandwidth that narrows as evidence grows; never below half a grid step.
  const minBw = d.values && d.values.length > 1 ? 0.5 / (d.values.length - 1) : 0.02;
  const sigma = Math.max(minBw, 0.3 * Math.pow(n + 1, -1 / 5));
  const wPrior = 1 / (n + 1);
  const pdf = (u: number, mu: number) => Math.exp(-0.5 * ((u - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
  return {
    sample(rand) {
      if (n === 0 || rand() < wPrior) return fromUnit(d, rand());
      const mu = mus[Math.floor(rand() * n)];
      for (let i = 0; i < 20; i++) {
        const u = mu + sigma * gaussian(rand);
        if (u >= 0 && u <= 1) return fromUnit(d, u);
      }
      return fromUnit(d, mu);
    },
    density(v) {
      const u = toUnit(d, v);
      let s = wPrior;
      for (const mu of mus) s += ((1 - wPrior) / n) * pdf(u, mu);
      return s;
    },
  };
}

function categoricalParzen(d: Dimension, observed: readonly ParamValue[]): Density {
  const values = d.values!;
  const counts = values.map((v) => observed.filter((o) => o === v).length);
  const total = observed.length + values.length;
  const p = counts.map((c) => (c + 1) / total);
  return {
    sample(rand) {
      let r = rand();
      for (let i = 0; i < values.length; i++) {
        r -= p[i];
        if (r < 0) return values[i];
      }
      return values[values.length - 1];
    },
    density(v) {
      const i = values.indexOf(v);
      return i < 0 ? 1e-12 : p[i];
    },
  };
}
