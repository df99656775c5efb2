// Step 1 of a sweep: plan. From the suite's `sweep:` section (and CLI overrides): the swept
// model, the search space, the objective and constraints, and how trials are proposed. Problems
// become the suite's usual EvalSuiteError, positioned at the YAML node they are about.
import fs from 'node:fs';
import YAML, { isMap, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode } from 'yaml';
import { EvalSuiteError } from '../diagnostics';
import type { LoadedSuite } from '../suiteLoader';
import type { ModelSpec } from '../suiteSchema';
import { buildSearchSpace, SweepConfigError, type Dimension } from './searchSpace';
import { constraintsOf, objectiveOf, type Constraint, type Objective } from './objective';
import { createProposer, type TrialProposer } from './trialProposer';
import { trialModel, sweptModel } from './trialSuite';
import type { SweepMethod, SweepSpec } from './sweepSchema';

export const DEFAULT_PARALLEL_TRIALS = 2;

export interface SweepOverrides {
  method?: SweepMethod;
  trials?: number;
  seed?: number;
  parallel?: number;
}

export interface SweepPlan {
  spec: SweepSpec;
  method: SweepMethod;
  seed: number;
  base: ModelSpec;
  dims: Dimension[];
  objective: Objective;
  constraints: Constraint[];
  proposer: TrialProposer;
  parallel: number;
}

export function planSweep(suite: LoadedSuite, o: SweepOverrides = {}): SweepPlan {
  try {
    const spec = suite.spec.sweep;
    if (!spec) throw new SweepConfigError('this suite has no `sweep:` section', [], 'add `sweep: { parameters: { temperature: [0, 0.5, 1] } }` (see README "Sweeps")');
    if (suite.promptPaths.length > 1) throw new SweepConfigError('a sweep runs one prompt; this suite lists several', ['prompt'], 'sweep each prompt from its own suite');
    const base = sweptModel(suite);
    const dims = buildSearchSpace(spec.parameters, base);
    const objective = objectiveOf(spec);
    const constraints = constraintsOf(spec);
    const method = o.method ?? spec.method ?? 'grid';
    const seed = o.seed ?? spec.seed ?? 0;
    const proposer = createProposer(dims, { method, trials: o.trials ?? spec.trials, seed, startupTrials: spec.startup_trials, direction: objective.direction });
    if (proposer.planned === 0) throw new SweepConfigError('the sweep has no trials to run', ['sweep'], 'give each parameter at least one value');
    // Every value must be one the model accepts: check the extremes of each dimension now, not at trial 40.
    for (const d of dims) {
      for (const v of d.values ?? [d.range!.min, d.range!.max]) trialModel(base, [d], { [d.name]: v });
    }
    return { spec, method, seed, base, dims, objective, constraints, proposer, parallel: o.parallel ?? spec.parallel ?? DEFAULT_PARALLEL_TRIALS };
  } catch (e) {
    if (e instanceof SweepConfigError) throw positioned(suite.filePath, e);
    throw e;
  }
}

/** The error at its node in the suite file (the nearest existing ancestor of its path). */
function positioned(file: string, e: SweepConfigError): EvalSuiteError {
  let line = 1;
  let column = 1;
  try {
    const lc = new LineCounter();
    const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter: lc });
    let node: unknown = doc.contents;
    let at: YamlNode | undefined = doc.contents ?? undefined;
    for (const seg of e.path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        at = pair.key as YamlNode;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        node = node.items[seg];
        at = node as YamlNode;
      } else break;
    }
    if (at?.range) ({ line, col: column } = lc.linePos(at.range[0]));
  } catch {
    // unreadable: line 1
  }
  return new EvalSuiteError(file, [{ file, line, column, severity: 'error', message: e.message, hint: e.hint }]);
}
