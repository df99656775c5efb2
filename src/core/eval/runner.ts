// Runs a loaded suite, top to bottom: **plan** (runPlan.ts: dataset, prompts, scorers, one planned
// run per prompt × model), **execute** (caseExecutor.ts: a bounded worker pool over the rows still
// to do), **record** (runRecorder.ts: each finished row goes to the run's case journal, then to the
// case sinks; metrics and artifacts come from the journal at the end). Several pairs share a parent
// run. Cancelling aborts in-flight requests and ends the run KILLED with what it recorded; a run
// whose process died shows as interrupted (runLiveness.ts). `resume` continues such a run under the
// same id without sending its recorded rows again (resumeTarget.ts decides whether it may).
import type { RunStatus, TrackingStore } from '../tracking/types';
import { combineDeliveries, type TraceDelivery } from '../tracking/traces/traceSink';
import type { ModelProvider, ProviderConfig, ProviderContext } from '../providers/types';
import { ResponseCache } from '../providers/responseCache';
import type { LoadedSuite } from './suiteLoader';
import type { Diagnostic } from './diagnostics';
import type { CaseRow } from './caseRow';
import type { ThresholdCheck } from './runMetrics';
import { mlflowSourceTags, tagList, TAGS } from './runContext';
import { planSuite, type PlannedRun, type SuitePlan } from './runPlan';
import { executeCases } from './caseExecutor';
import { RunRecorder } from './runRecorder';
import { resolveResumeTarget, ResumeRefusedError, type ResumeRequest, type ResumeTarget } from './resumeTarget';
import { costModels, estimateRuns, type CostEstimate, type RunCostModel } from './costEstimate';
import { SpendBudget } from './spendBudget';
import { caseJournalPath } from './caseJournal';
import { forEachLatestCase } from './journalScan';
import { DEFAULT_PRICES } from '../providers/prices';
import { caseInShard, parseShard, shardRowCount, shardRows, type ShardSpec } from './shards';
import { attachShardParent, mergeShardGroup, type MergeOutcome } from './shardGroup';
import type { Run } from '../tracking/types';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

export { assertRunnable } from './runPlan';
export { ResumeRefusedError, type ResumeRequest } from './resumeTarget';

export interface EvalProgress {
  /** Rows finished (scored or errored) across the whole suite. */
  done: number;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  /** passed / done (0 before the first row). */
  passRate: number;
  /** The run currently being filled. */
  runId?: string;
  model?: string;
}

export interface RunSuiteOptions {
  store: TrackingStore;
  /** Paths in params/tags are recorded relative to this folder. */
  workspaceRoot: string;
  /** Untrusted workspaces may not run command providers or javascript scorers. */
  trusted: boolean;
  /** Overrides the suite's `concurrency` (default 4). */
  concurrency?: number;
  /** Overrides the suite's `repeat` (default 1). */
  repeat?: number;
  /** Overrides `thresholds.pass_rate`. */
  minPassRate?: number;
  /** Neither read nor write the response cache. */
  noCache?: boolean;
  /** Folder of the response cache (e.g. `.promptledger/cache`). */
  cacheDir: string;
  signal?: AbortSignal;
  onProgress?(p: EvalProgress): void;
  /** Secrets lookup, env, fetch, retry policy… (the suite's timeout_ms is applied on top). */
  providerCtx?: ProviderContext;
  /** Only run models whose label is listed (default all). */
  models?: string[];
  /** For tests: build providers some other way. */
  makeProvider?: (cfg: ProviderConfig, ctx: ProviderContext) => ModelProvider;
  /** Continue an interrupted or cancelled run (or re-run its errors) instead of starting a new one. */
  resume?: ResumeRequest;
  /** Receivers of every finished row, after it is durable in the case journal (e.g. trace writers). */
  caseSinks?: CaseSink[];
  /**
   * Return as soon as the runs' results are recorded, with the case traces still on their way
   * (SuiteResult.traces settles when they are written or journaled); by default runSuite waits.
   */
  deferTraces?: boolean;
  /** Run even when the dataset check finds errors (validation/validateSuite.ts). */
  noValidate?: boolean;
  /** Plan and estimate only: no run is created and no model is called. */
  dryRun?: boolean;
  /** USD this invocation may spend at most (overrides the suite's `budget.max_cost_usd`). */
  maxCostUsd?: number;
  /**
   * Called with the calls, tokens and cost about to be spent, before any run is created; resolve
   * false to run nothing (the editor's confirmation above a threshold).
   */
  confirmCost?(estimate: CostEstimate): boolean | Promise<boolean>;
  /**
   * Run only this deterministic slice of the cases, under the group's one parent run (shards.ts,
   * shardGroup.ts). A resume of a shard's run keeps its shard without being told.
   */
  shard?: ShardSpec;
  /**
   * Keep every row in the result (`ModelRunResult.rows`; default true). The CLI keeps them only for
   * --output json/junit, so a 50,000-case run does not hold 50,000 rows in memory.
   */
  keepRows?: boolean;
  /** Put the runs under this existing parent run (a sweep's, sweep/sweepRunner.ts) instead of making one; its owner ends it. */
  parentRunId?: string;
}

/** Why a run or suite ended KILLED without being cancelled. */
export type StopReason = 'budget';

/** A budget needs prices: a model without one could spend without limit. */
export class BudgetUnpricedError extends Error {
  constructor(models: string[], maxUsd: number) {
    super(`A budget of $${maxUsd} needs a price for every model, and ${models.join(', ')} ${models.length > 1 ? 'have' : 'has'} none in the price table. Add ${models.length > 1 ? 'them' : 'it'} to the promptLedger.prices setting (USD per 1M tokens), or run without a budget.`);
    this.name = 'BudgetUnpricedError';
  }
}

export interface CaseRecordedEvent {
  runId: string;
  experimentId: string;
  /** Row index: caseIndex × repeat + sample. A retried row comes again with the same index. */
  index: number;
  row: CaseRow;
  /** Model label of the run. */
  model: string;
}

/** Where per-case results are handed off once recorded (RunRecorder.recordCase is the one call site). */
export interface CaseSink {
  caseRecorded(e: CaseRecordedEvent): void | Promise<void>;
  /** After the run's metrics, table and final status were written; `rows` covers the whole run. */
  runFinished?(e: { runId: string; status: RunStatus; rows: readonly CaseRow[] }): void | Promise<void>;  // rows: empty with keepRows: false
}

export interface ModelRunResult {
  runId: string;
  runName: string;
  experimentId: string;
  /** Model label, e.g. `openai:gpt-4o-mini`. */
  model: string;
  promptPath: string;
  promptHash: string;
  startTime: number;
  status: RunStatus;
  metrics: Record<string, number>;
  thresholds: ThresholdCheck[];
  /** Thresholds hold and the run finished. */
  passed: boolean;
  /** Every row in table order, unless the caller said keepRows: false (then empty). */
  rows: CaseRow[];
  /** How many rows did not pass, and the first few (table order) for a summary. */
  failing: { count: number; sample: CaseRow[] };
  /** Why the run FAILED. */
  error?: string;
  /** Why the run ended KILLED without being cancelled. */
  stopReason?: StopReason;
  /** The previous run of the same suite and model, for "compare with previous". */
  previousRunId?: string;
  linkedPrompt?: { name: string; version: string };
}

export interface SuiteResult {
  suiteFile: string;
  experimentId: string;
  experimentName: string;
  parentRunId?: string;
  runs: ModelRunResult[];
  /** KILLED when cancelled, FAILED when any run failed, else FINISHED. */
  status: RunStatus;
  /** Every run finished and met its thresholds. */
  passed: boolean;
  cancelled: boolean;
  dataset: { path?: string; hash: string; size: number };
  warnings: Diagnostic[];
  durationMs: number;
  /** Set when this call continued an existing run. */
  resumed?: { mode: ResumeRequest['mode']; runId: string; alreadyDone: number; rerun: number };
  /** Why --force-new started a new run instead of resuming. */
  startedNewBecause?: string;
  /** Calls, tokens and cost this invocation was about to spend (computed before any run started). */
  estimate: CostEstimate;
  /** Only planned (dryRun), or declined at confirmCost: nothing ran. */
  dryRun?: boolean;
  declined?: boolean;
  /** Set when the suite ended KILLED because no more calls fitted in the budget. */
  stopReason?: StopReason;
  budget?: { maxUsd: number; spentUsd: number };
  shard?: ShardSpec;
  /** Shards: the merge over all shards, when this shard was the last to finish (or why it could not run). */
  merge?: MergeOutcome;
  mergeError?: string;
  /** The runs' case traces (all of them delivered already unless deferTraces). */
  traces: Promise<TraceDelivery>;
}

export async function runSuite(suite: LoadedSuite, opts: RunSuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  // 1. plan
  // A resume leaves the dataset check until it knows which run it continues (below).
  const plan = await planSuite(suite, { ...opts, env: opts.providerCtx?.env, deferDataCheck: !!opts.resume });
  const { store } = opts;
  let target: ResumeTarget | undefined;
  let startedNewBecause: string | undefined;
  if (opts.resume) {
    try {
      target = await resolveResumeTarget(store, plan, opts.resume, opts.workspaceRoot);
    } catch (e) {
      if (!(e instanceof ResumeRefusedError && e.changed && opts.resume.forceNew)) throw e;
      startedNewBecause = e.message;
    }
  }
  // A run checked when it began, on content hashed equal now, would pass the same check again: at
  // 50,000 rows that is ~0.3 s of rendering before the first call. Any other run is checked here.
  if (target?.checked) target.planned.prompt.inputTokens ??= target.inputTokens;
  else plan.checkData?.();
  const runs = target ? [target.planned] : plan.runs;
  const shard = opts.shard ?? (target ? shardOfRun(target.run) : undefined);

  // Cost before spending: the rows this invocation will send, priced per call.
  const prices = opts.providerCtx?.prices ?? DEFAULT_PRICES;
  const models = costModels(plan, runs, prices);
  const retryErrors = opts.resume?.mode === 'retry-errors' && !!target;
  const estimate = estimateRuns(plan, models, () => target ? unrecordedRows(store, opts.workspaceRoot, target, retryErrors, shard, plan.repeat) : shardRows(runs[0].total, plan.repeat, shard));
  const maxUsd = opts.maxCostUsd ?? suite.spec.budget?.max_cost_usd;
  if (maxUsd !== undefined && estimate.unpriced.length) throw new BudgetUnpricedError(estimate.unpriced, maxUsd);
  const base = {
    suiteFile: suite.filePath, experimentName: suite.experiment, warnings: suite.warnings, estimate,
    dataset: { path: plan.dataset.path, hash: plan.dataset.hash, size: plan.dataset.cases.length },
  };
  const nothing = (flags: { dryRun?: boolean; declined?: boolean }): SuiteResult => ({
    ...base, ...flags, experimentId: target?.run.info.experimentId ?? '', runs: [], status: 'SCHEDULED', passed: false, cancelled: false, durationMs: Date.now() - started,
    traces: Promise.resolve({ traces: 0 }),
  });
  if (opts.dryRun) return nothing({ dryRun: true });
  if (opts.confirmCost && !(await opts.confirmCost(estimate))) return nothing({ declined: true });
  const budget = maxUsd !== undefined ? new SpendBudget(maxUsd) : undefined;

  const experimentId = target?.run.info.experimentId ?? await store.ensureExperiment(suite.experiment);
  const progress: EvalProgress = { done: 0, total: runs.reduce((a, r) => a + shardRowCount(r.total, plan.repeat, shard), 0), passed: 0, failed: 0, errors: 0, passRate: 0 };
  const cache = new ResponseCache(opts.cacheDir);
  const parentRunId = target
    ? target.run.data.tags.find((t) => t.key === MLFLOW_TAG.parentRunId)?.value
    : shard
      ? await attachShardParent(store, experimentId, shard.group, () => createParentRun(plan, experimentId, store, [{ key: TAGS.group, value: shard.group }]))
      : opts.parentRunId ?? (runs.length > 1 ? await createParentRun(plan, experimentId, store) : undefined);

  const results: ModelRunResult[] = [];
  const deliveries: Promise<TraceDelivery>[] = [];
  let resumed: SuiteResult['resumed'];
  for (const [k, run] of runs.entries()) {
    if (opts.signal?.aborted || budget?.exhausted) break;
    const c = { plan, run, opts, experimentId, progress, parentRunId, shard };
    const recorder = target ? await RunRecorder.reopen(c, target.run.info.runId, target.run.info.startTime, target.latest) : await RunRecorder.create(c);
    const pending = recorder.pending(retryErrors);
    if (target) resumed = { mode: opts.resume!.mode, runId: recorder.runId, alreadyDone: target.done, rerun: pending.length };
    results.push(await fillRun({ plan, run, recorder, pending, cache, opts, budget, cost: models[k] }));
    deliveries.push(recorder.tracesDelivered);
  }

  // Parent: its status sums up its children (only on a fresh run; a resume leaves it to its children).
  const cancelled = !!opts.signal?.aborted;
  const stopReason: StopReason | undefined = !cancelled && budget?.exhausted ? 'budget' : undefined;
  const failed = results.some((r) => r.status === 'FAILED');
  const status: RunStatus = cancelled || stopReason ? 'KILLED' : failed ? 'FAILED' : 'FINISHED';
  const passed = !cancelled && results.length === runs.length && results.every((r) => r.passed);
  const ownsParent = !!parentRunId && !target && !shard && !opts.parentRunId;
  if (ownsParent && parentRunId) {
    await store.logBatch(parentRunId, { tags: [{ key: TAGS.passed, value: String(passed) }] }).catch(() => undefined);
    await store.updateRun(parentRunId, { status, endTime: Date.now() }).catch(() => undefined);
  }
  if (stopReason && ownsParent && parentRunId) await store.setTag(parentRunId, TAGS.stopReason, stopReason).catch(() => undefined);
  // The last shard to finish merges the group (each one tries; only a complete group merges).
  let merge: MergeOutcome | undefined;
  let mergeError: string | undefined;
  if (shard && results.length === runs.length && results.every((r) => r.status === 'FINISHED')) {
    try {
      merge = await mergeShardGroup(store, shard.group, { experimentIds: [experimentId] });
    } catch (e) {
      mergeError = (e as Error).message;
    }
  }
  return {
    ...base, experimentId, parentRunId, runs: results, status, passed, cancelled, durationMs: Date.now() - started,
    resumed, startedNewBecause, stopReason, budget: budget && { maxUsd: budget.maxUsd, spentUsd: budget.spentUsd },
    shard, merge, mergeError, traces: Promise.all(deliveries).then(combineDeliveries),
  };
}

/** The shard a run was recorded as (its tags), so resuming it stays within its slice. */
function shardOfRun(run: Run): ShardSpec | undefined {
  const label = run.data.tags.find((t) => t.key === TAGS.shard)?.value;
  const group = run.data.tags.find((t) => t.key === TAGS.group)?.value;
  return label && group ? { ...parseShard(label), group } : undefined;
}

/** Rows a resume will send: not in the journal (or, retrying errors, recorded as errors); only the shard's. */
function unrecordedRows(store: TrackingStore, workspaceRoot: string, target: ResumeTarget, errorsOnly: boolean, shard: ShardSpec | undefined, repeat: number): number[] {
  const total = target.planned.total;
  // 0 not recorded, 1 recorded, 2 recorded as an error
  const state = new Uint8Array(total);
  const file = caseJournalPath(store, workspaceRoot, target.run.info.runId);
  // Only retrying errors needs the rows themselves; a resume needs to know which rows have a record,
  // which the scan tells without parsing them (the recorder's reopen parses them once, for the tally).
  if (errorsOnly) forEachLatestCase(file, total, ({ i, row }) => { state[i] = row.error ? 2 : 1; }, target.latest);
  else target.latest.forEach((seq, i) => { if (seq >= 0) state[i] = 1; });
  const out: number[] = [];
  for (let i = 0; i < total; i++) {
    if (shard && !caseInShard(Math.floor(i / repeat), shard)) continue;
    if (errorsOnly ? state[i] === 2 : state[i] === 0) out.push(i);
  }
  return out;
}

interface FillArgs {
  plan: SuitePlan; run: PlannedRun; recorder: RunRecorder; pending: number[]; cache: ResponseCache; opts: RunSuiteOptions;
  budget?: SpendBudget; cost: RunCostModel;
}

/** 2 + 3: set the run up, execute its pending rows into the recorder, and record the outcome. */
async function fillRun(a: FillArgs): Promise<ModelRunResult> {
  const { recorder, opts } = a;
  let status: RunStatus;
  let error: string | undefined;
  let stopReason: StopReason | undefined;
  try {
    await recorder.begin();
    const outcome = await executeCases({ ...a, record: (i, row) => recorder.recordCase(i, row) });
    if (outcome.budgetStopped && !opts.signal?.aborted && !outcome.fatal) stopReason = 'budget';
    status = outcome.fatal ? 'FAILED' : opts.signal?.aborted || stopReason ? 'KILLED' : 'FINISHED';
    error = outcome.fatal;
  } catch (err) {
    status = 'FAILED';
    error = (err as Error)?.message ?? String(err);
  }
  // Whatever happened, record what there is.
  return recorder.finish(status, error, stopReason);
}

async function createParentRun(plan: SuitePlan, experimentId: string, store: TrackingStore, extraTags: { key: string; value: string }[] = []): Promise<string> {
  const { suite, suiteRel, user } = plan;
  const git = plan.runs[0]?.prompt.git ?? {};
  const parent = await store.createRun({
    experimentId, runName: suite.name, startTime: Date.now(), userId: user,
    tags: [
      ...tagList({ ...mlflowSourceTags({ runName: suite.name, suiteRel, user, git: { headCommit: git.headCommit, branch: git.branch } }), [TAGS.suite]: suiteRel, [TAGS.kind]: 'eval-parent' }),
      ...Object.entries(suite.spec.tags ?? {}).map(([key, v]) => ({ key, value: String(v) })),
      ...extraTags,
    ],
  });
  return parent.info.runId;
}
