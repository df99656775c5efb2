// Reproduce Run: plan (reproducePlan.ts: the run's suite, prompt, dataset, model and params) →
// execute (the ordinary runner with those inputs as plan overrides; the response cache, keyed by
// the full request, serves every answer the original got) → record (a new run tagged
// promptledger.reproducedFrom = the original's id) and check it against the original: per-case
// outputs and scores from both runs' eval_results_table.json, and every metric.
import { createProvider } from '../providers/createProvider';
import { ProviderError } from '../providers/providerError';
import type { ModelProvider } from '../providers/types';
import type { TrackingStore } from '../tracking/types';
import { parseEvalTable, type EvalTable } from '../compare/evalTable';
import { EVAL_TABLE_ARTIFACT } from '../compare/loadComparison';
import { runSuite, type ModelRunResult, type RunSuiteOptions, type SuiteResult } from './runner';
import type { PlanOverrides } from './runPlan';
import { planReproduction, type ReproducePlan } from './reproducePlan';

export { ReproduceError, planReproduction, type ReproducePlan } from './reproducePlan';

export interface ReproduceOptions extends Omit<RunSuiteOptions, 'models' | 'repeat' | 'resume'> {
  /** Send nothing: a request that is not in the response cache fails the run, naming what is missing. */
  offline?: boolean;
}

export interface CaseDifference {
  caseId: string;
  repeat: number;
  /** What differs: `output`, `pass`, or a scorer's name. */
  fields: string[];
  original?: string;
  reproduced?: string;
}

export interface MetricCheck {
  key: string;
  original?: number;
  reproduced?: number;
  equal: boolean;
  /** Timing and cache metrics: shown, but not part of "identical" (a replay is served from the cache). */
  informational: boolean;
}

export interface ReproduceResult {
  plan: ReproducePlan;
  suiteResult: SuiteResult;
  /** The new run (undefined when nothing ran, e.g. cancelled before it started). */
  run?: ModelRunResult;
  cases: { compared: number; identical: number; differences: CaseDifference[]; onlyInOriginal: number; onlyInReproduced: number };
  metrics: MetricCheck[];
  /** Rows answered from the response cache (echo answers are deterministic and count too), of rowCount. */
  servedFromCache: number;
  rowCount: number;
  /** Every row came from the cache: nothing was sent to a model. */
  offline: boolean;
  /** Outputs, scores and every non-timing metric are equal to the original's. */
  identical: boolean;
}

/** Timing and cache bookkeeping: differ between a live call and its replay by nature. */
const INFORMATIONAL = /^(latency_ms\/|cache_hit_rate$)/;

/** `run`: a run id, or a plan already made (the editor shows its notes before running). */
export async function reproduceRun(run: string | ReproducePlan, opts: ReproduceOptions): Promise<ReproduceResult> {
  // 1. plan
  const plan = typeof run === 'string' ? await planReproduction(opts.store, run, opts.workspaceRoot) : run;
  const runId = plan.original.info.runId;
  // 2. execute: the ordinary runner, with the run's inputs as plan overrides.
  const make = opts.makeProvider ?? createProvider;
  const runOpts: RunSuiteOptions & PlanOverrides = {
    ...opts, ...plan.overrides, models: [plan.model], repeat: plan.repeat,
    makeProvider: opts.offline ? (cfg, ctx) => offlineProvider(make(cfg, ctx)) : make,
  };
  const suiteResult = await runSuite(plan.suite, runOpts);
  const made = suiteResult.runs[0];
  // 3. check against the original
  const original = await readTable(opts.store, runId);
  // Both sides read from the store, as the compare panel reads them (the result may not keep rows).
  const reproduced = made ? await readTable(opts.store, made.runId) : undefined;
  const cases = compareTables(original, reproduced);
  const metrics = compareMetrics(plan.original.data.metrics, made?.metrics ?? {});
  const echo = plan.suite.spec.models[0].provider === 'echo';
  const rows = reproduced ? reproduced.data.map((r) => Object.fromEntries(reproduced.columns.map((c, i) => [c, r[i]]))) : [];
  const servedFromCache = rows.filter((r) => r.cached === true || (echo && !r.error)).length;
  const identical = !!made && made.status === 'FINISHED' && cases.identical === cases.compared && cases.onlyInOriginal === 0 && cases.onlyInReproduced === 0
    && metrics.every((m) => m.equal || m.informational);
  return { plan, suiteResult, run: made, cases, metrics, servedFromCache, rowCount: rows.length, offline: rows.length > 0 && servedFromCache === rows.length, identical };
}

/** A provider that answers only from the cache (withCache asks it on a miss): the miss is fatal and named. */
function offlineProvider(p: ModelProvider): ModelProvider {
  if (p.kind === 'echo') return p;
  return {
    id: p.id, kind: p.kind, model: p.model, cacheIdentity: p.cacheIdentity,
    complete: async () => {
      throw new ProviderError('config', `offline: a request to ${p.id} is not in the response cache (the original's answer was not cached here, or the request differs); run without --offline to send it`);
    },
  };
}

async function readTable(store: TrackingStore, runId: string): Promise<EvalTable | undefined> {
  try {
    const bytes = await store.downloadArtifact(runId, EVAL_TABLE_ARTIFACT);
    return parseEvalTable(new TextDecoder().decode(bytes), `run ${runId}: ${EVAL_TABLE_ARTIFACT}`);
  } catch {
    return undefined;
  }
}

function compareTables(a: EvalTable | undefined, b: EvalTable | undefined): ReproduceResult['cases'] {
  const rowsOf = (t: EvalTable | undefined) => {
    const out = new Map<string, Record<string, unknown>>();
    if (!t) return out;
    for (const r of t.data) {
      const rec = Object.fromEntries(t.columns.map((c, i) => [c, r[i]]));
      out.set(`${rec.case_id}\u0000${rec.repeat ?? 0}`, rec);
    }
    return out;
  };
  const ra = rowsOf(a);
  const rb = rowsOf(b);
  const compared = [...ra.keys()].filter((k) => rb.has(k));
  const differences: CaseDifference[] = [];
  for (const k of compared) {
    const x = ra.get(k)!;
    const y = rb.get(k)!;
    const fields: string[] = [];
    if (x.outputs !== y.outputs) fields.push('output');
    if (x.pass !== y.pass) fields.push('pass');
    for (const c of Object.keys(x)) if (c.endsWith('/score') && JSON.stringify(x[c]) !== JSON.stringify(y[c])) fields.push(c.slice(0, -'/score'.length));
    if (fields.length) differences.push({ caseId: String(x.case_id), repeat: Number(x.repeat ?? 0), fields, original: str(x.outputs ?? x.error), reproduced: str(y.outputs ?? y.error) });
  }
  return {
    compared: compared.length, identical: compared.length - differences.length, differences,
    onlyInOriginal: [...ra.keys()].filter((k) => !rb.has(k)).length, onlyInReproduced: [...rb.keys()].filter((k) => !ra.has(k)).length,
  };
}

function str(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

function compareMetrics(original: readonly { key: string; value: number; step: number; timestamp: number }[], reproduced: Record<string, number>): MetricCheck[] {
  const latest = new Map<string, number>();
  for (const m of [...original].sort((p, q) => p.step - q.step || p.timestamp - q.timestamp)) latest.set(m.key, m.value);
  const keys = [...new Set([...latest.keys(), ...Object.keys(reproduced)])].sort();
  return keys.map((key) => {
    const o = latest.get(key);
    const r = reproduced[key];
    return { key, original: o, reproduced: r, equal: o !== undefined && r !== undefined && Math.abs(o - r) <= 1e-9 * Math.max(1, Math.abs(o)), informational: INFORMATIONAL.test(key) };
  });
}
