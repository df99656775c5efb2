// One trial = the suite with the swept model's parameters set to the trial's values, run by the
// ordinary runner. Model parameters go into the model entry (so runs record them as their usual
// params); a command provider's parameters go into its environment or arguments. The response
// cache never sees environment values (they may hold secrets), so the swept ones are added to the
// provider's cache identity here: k=3 and k=5 must not share cached answers.
import type { LoadedSuite } from '../suiteLoader';
import { modelSchema, type ModelSpec } from '../suiteSchema';
import { modelLabel } from '../modelConfig';
import { createProvider } from '../../providers/createProvider';
import type { ModelProvider, ProviderConfig, ProviderContext } from '../../providers/types';
import { SweepConfigError, type Assignment, type Dimension } from './searchSpace';
import type { CallGate } from './callGate';
import { SWEEP_TAGS } from './sweepTags';

/** The suite model a sweep varies: `sweep.model` (a label) or the first. */
export function sweptModel(suite: LoadedSuite): ModelSpec {
  const want = suite.spec.sweep?.model;
  if (want === undefined) return suite.spec.models[0];
  const found = suite.spec.models.find((m) => modelLabel(m) === want);
  if (!found) throw new SweepConfigError(`sweep.model \`${want}\` is not one of the suite's models`, ['sweep', 'model'], `use one of ${suite.spec.models.map(modelLabel).join(', ')}`);
  return found;
}

/** The model entry with the trial's values applied; checked against the suite schema (e.g. top_p ≤ 1). */
export function trialModel(base: ModelSpec, dims: readonly Dimension[], a: Assignment): ModelSpec {
  const m = structuredClone(base) as ModelSpec & { model?: string; env?: Record<string, string>; args?: string[] };
  for (const d of dims) {
    const v = a[d.name];
    switch (d.target.kind) {
      case 'model':
        m.model = String(v);
        break;
      case 'sampling':
        m.params = { ...m.params, [d.name]: v };
        break;
      case 'env':
        m.env = { ...m.env, [d.target.name]: String(v) };
        break;
      case 'arg':
        m.args = [...(m.args ?? []), d.target.flag, String(v)];
        break;
    }
  }
  const checked = modelSchema.safeParse(m);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const name = issue.path[issue.path.length - 1];
    throw new SweepConfigError(`sweep parameter \`${String(name)}\` = ${JSON.stringify(a[String(name)])}: ${issue.message}`, ['sweep', 'parameters', String(name)], 'keep the values inside what the model accepts');
  }
  return checked.data;
}

export interface TrialSuiteArgs {
  suite: LoadedSuite;
  base: ModelSpec;
  dims: readonly Dimension[];
  assignment: Assignment;
  /** 1-based trial number. */
  number: number;
  sweepRunId: string;
}

/** A copy of the suite that runs only this trial's model, named and tagged as the trial. */
export function trialSuite(t: TrialSuiteArgs): LoadedSuite {
  const values = Object.entries(t.assignment).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    ...t.suite,
    // runPlan names runs `<suite name> · <model>`.
    name: `${t.suite.name} · trial ${t.number} (${values})`,
    spec: {
      ...t.suite.spec,
      models: [trialModel(t.base, t.dims, t.assignment)],
      tags: {
        ...t.suite.spec.tags,
        [SWEEP_TAGS.sweepRunId]: t.sweepRunId,
        [SWEEP_TAGS.trial]: String(t.number),
        [SWEEP_TAGS.params]: JSON.stringify(t.assignment),
      },
    },
  };
}

/** Providers for a trial: every call through the sweep's gate (earlier trials first); swept env values in the cache key. */
export function trialProviderFactory(
  gate: CallGate,
  dims: readonly Dimension[],
  a: Assignment,
  priority: number,
  make: (cfg: ProviderConfig, ctx: ProviderContext) => ModelProvider = createProvider,
): (cfg: ProviderConfig, ctx: ProviderContext) => ModelProvider {
  const envParams = Object.fromEntries(dims.filter((d) => d.target.kind === 'env').map((d) => [d.name, a[d.name]]));
  return (cfg, ctx) => {
    const inner = make(cfg, ctx);
    const keyed = cfg.kind === 'command' && Object.keys(envParams).length
      ? { ...inner, cacheIdentity: { ...inner.cacheIdentity, sweepEnv: envParams } }
      : inner;
    return gate.wrap(keyed, priority);
  };
}
