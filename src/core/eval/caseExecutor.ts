// Step 2 of a run: execute. The pending rows of one planned run go through a bounded worker pool;
// each row is rendered, sent to the model and scored, and handed to `record` as soon as it is done.
// A row cancelled mid-call never happened (it is not recorded, so a resume runs it again). A fatal
// provider error (auth, config) stops the run instead of failing every remaining case.
import { setMaxListeners } from 'node:events';
import type { ModelProvider, ProviderContext, ProviderResponse } from '../providers/types';
import { createProvider } from '../providers/createProvider';
import { isProviderError } from '../providers/providerError';
import { withCache, type ResponseCache } from '../providers/responseCache';
import { renderCase } from '../prompts/render';
import type { EvalCase } from './dataset';
import type { CaseRow } from './caseRow';
import { scoreOutput } from './caseScoring';
import { runPool } from './workPool';
import { toProviderConfig } from './modelConfig';
import type { PlannedRun, SuitePlan } from './runPlan';
import type { RunSuiteOptions } from './runner';
import type { SpendBudget } from './spendBudget';
import type { RunCostModel } from './costEstimate';

/** Provider errors that would repeat for every case: stop the run instead of failing 1,000 cases. */
const FATAL_KINDS = new Set(['auth', 'config']);

export interface ExecuteArgs {
  plan: SuitePlan;
  run: PlannedRun;
  /** Row indexes to run (index = caseIndex × repeat + sample). */
  pending: readonly number[];
  cache: ResponseCache;
  opts: RunSuiteOptions;
  /**
   * Called once per finished row (the recorder writes its journal line before returning). The
   * worker waits for it only when it answers with a promise and too many are outstanding; all are
   * settled before executeCases returns, and the first failure stops the run.
   */
  record(index: number, row: CaseRow): Promise<void> | void;
  /** Spend limit shared by the suite's runs: a row starts only when its estimated cost fits. */
  budget?: SpendBudget;
  /** Per-row cost estimates of this run (what the budget reserves). */
  cost?: RunCostModel;
}

export interface ExecuteOutcome {
  /** Why the run stopped early (a fatal provider error). */
  fatal?: string;
  /** No more rows were started because the next one did not fit in the budget. */
  budgetStopped?: boolean;
}

export async function executeCases(a: ExecuteArgs): Promise<ExecuteOutcome> {
  const { plan, run, opts } = a;
  const { id, prompt } = run;
  // Stops this run early (fatal provider error) without touching the caller's signal.
  const stop = new AbortController();
  // Every in-flight request listens on this signal; concurrency can exceed the default 10.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  // Stops taking new rows (budget reached) while the calls in flight finish and are recorded.
  const drain = new AbortController();
  stop.signal.addEventListener('abort', () => drain.abort(), { once: true });
  let fatal: string | undefined;
  let budgetStopped = false;

  const ctx: ProviderContext = { ...opts.providerCtx, timeoutMs: plan.suite.spec.timeout_ms ?? opts.providerCtx?.timeoutMs };
  const make = opts.makeProvider ?? createProvider;
  const cfg = toProviderConfig(run.model, plan.suite.baseDir);
  const raw = make(cfg, ctx);
  const cached = withCache(raw, a.cache, { enabled: !opts.noCache });
  const judgeCfg = plan.suite.spec.judge ? toProviderConfig(plan.suite.spec.judge, plan.suite.baseDir) : cfg;
  const suiteScorers = plan.suite.scorers.map((s) => s.scorer);
  const caseScorersOf = (caseIndex: number) => {
    const own = plan.caseScorers.get(caseIndex);
    return own ? [...suiteScorers, ...own] : suiteScorers;
  };
  const repeat = plan.repeat;

  const makeJudge = (jc: Parameters<typeof make>[0]) => make(jc, ctx);
  const failedRow = (c: EvalCase, r: number, kind: string, message: string): CaseRow => ({
    caseId: c.id, caseIndex: c.index, repeat: r, vars: c.vars, expected: c.expected, scores: [], score: 0, pass: false, error: { kind, message },
  });

  const runCase = async (c: EvalCase, r: number, provider: ModelProvider): Promise<CaseRow | undefined> => {
    let rendered;
    try {
      rendered = renderCase(prompt.parsed, c.vars);
    } catch (err) {
      return failedRow(c, r, 'render', (err as Error).message);
    }
    let res: ProviderResponse;
    try {
      const prompted = rendered;
      // The whole text only if the provider reads it (echo, command): a getter, so HTTP calls never build it.
      res = await provider.complete({ messages: prompted.messages, params: id.params, get renderedText() { return prompted.text; } }, stop.signal);
    } catch (err) {
      if (stop.signal.aborted) return undefined; // cancelled: the row never happened
      const kind = isProviderError(err) ? err.kind : 'error';
      const message = (err as Error)?.message ?? String(err);
      if (FATAL_KINDS.has(kind) && !fatal) {
        fatal = `${run.label}: ${message}`;
        stop.abort();
      }
      return failedRow(c, r, kind, message);
    }
    const scoring = scoreOutput(caseScorersOf(c.index), {
      output: res.text, expected: c.expected, vars: c.vars, latencyMs: res.latencyMs, costUsd: res.costUsd, cached: res.cached,
      tokens: res.usage ? { input: res.usage.inputTokens, output: res.usage.outputTokens } : undefined,
      baseDir: plan.suite.baseDir, trusted: opts.trusted, makeProvider: makeJudge, defaultJudge: judgeCfg, signal: stop.signal,
    }, c.threshold);
    const { scores, score, pass } = scoring instanceof Promise ? await scoring : scoring;
    // One literal (not spreads) so every row has the same shape: cheaper to build and to serialize.
    return {
      caseId: c.id, caseIndex: c.index, repeat: r, vars: c.vars, expected: c.expected, output: res.text, scores, score, pass,
      latencyMs: res.latencyMs, inputTokens: res.usage?.inputTokens, outputTokens: res.usage?.outputTokens, costUsd: res.costUsd, cached: res.cached,
    };
  };

  // A row that cannot be recorded (disk full, a sink threw): no more rows are worth paying for.
  const recording = new Recording(plan.concurrency, () => stop.abort());
  try {
    await runPool(a.pending.length, plan.concurrency, async (k) => {
      const i = a.pending[k];
      const r = i % repeat;
      const caseIndex = Math.floor(i / repeat);
      let reservation = 0;
      if (a.budget && a.cost) {
        const judged = a.cost.judgeCost(caseIndex);
        const reserved = a.budget.reserve(a.cost.modelCost(caseIndex) + judged);
        if (reserved === undefined) {
          budgetStopped = true;
          drain.abort();
          return;
        }
        reservation = reserved;
      }
      // Samples after the first skip the cache: a cached answer would make repeats identical.
      const row = await runCase(plan.dataset.cases.at(caseIndex)!, r, r === 0 ? cached : raw);
      if (a.budget && a.cost) a.budget.settle(reservation, spentOn(row, a.cost.judgeCost(caseIndex)));
      if (row) {
        const full = recording.add(() => a.record(i, row));
        if (full) await full;
      }
    }, drain.signal);
    await recording.settled();
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  return { fatal, budgetStopped: budgetStopped || !!a.budget?.exhausted };
}

/**
 * Rows handed to `record` and not yet settled. A worker goes on to its next call at once; only when
 * more than `limit` are outstanding (a slow sink) does it wait for one, so rows never pile up.
 */
class Recording {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { err: unknown } | undefined;

  constructor(private readonly limit: number, private readonly onFailure: () => void) {}

  /** Hands one row over; waits only when more than `limit` hand-offs are outstanding. */
  add(record: () => Promise<void> | void): Promise<void> | undefined {
    let pending: Promise<void> | void;
    try {
      pending = record();
    } catch (err) {
      pending = Promise.reject(err);
    }
    if (!pending) return undefined; // recorded already (the usual case: no sink is asynchronous)
    const p: Promise<void> = pending.then(
      () => { this.inFlight.delete(p); },
      (err: unknown) => {
        this.inFlight.delete(p);
        if (!this.failure) {
          this.failure = { err };
          this.onFailure();
        }
      },
    );
    this.inFlight.add(p);
    return this.inFlight.size > this.limit ? Promise.race(this.inFlight) : undefined;
  }

  /** Waits for every row handed over; throws the first failure. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.err;
  }
}

/** What a finished row cost: its model call (nothing when cached) and its judge calls at their estimate. */
function spentOn(row: CaseRow | undefined, judgeEstimate: number): number {
  if (!row || row.error) return 0;
  return (row.cached ? 0 : row.costUsd ?? 0) + judgeEstimate;
}
