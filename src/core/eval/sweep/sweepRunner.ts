// Runs a parameter sweep: **plan** (sweepPlan.ts: space, objective, proposer), **execute** (each
// trial is the ordinary runSuite on the suite with the trial's values, as a child of one sweep
// parent run; up to `parallel` trials at once, all sharing the suite's concurrency through one
// CallGate), **record** (sweepRecord.ts: the report, the best trial tagged). Cancelling stops
// proposing, ends the trials in flight KILLED, and records what finished.
import { runSuite, type EvalProgress, type RunSuiteOptions, type SuiteResult } from '../runner';
import { relTo } from '../runContext';
import type { LoadedSuite } from '../suiteLoader';
import type { RunStatus } from '../../tracking/types';
import type { CostEstimate } from '../costEstimate';
import { CallGate } from './callGate';
import { planSweep, type SweepOverrides, type SweepPlan } from './sweepPlan';
import { scoreTrial, type TrialScore } from './objective';
import type { Assignment } from './searchSpace';
import type { Observation } from './tpe';
import { trialProviderFactory, trialSuite } from './trialSuite';
import { createSweepParent, finishSweepParent, logTrialParams } from './sweepRecord';
import { buildSweepReport, type SweepReport, type SweepTrial } from './sweepReport';

const DEFAULT_CONCURRENCY = 4;

export interface SweepProgress {
  trialsDone: number;
  trialsPlanned: number;
  /** Rows finished in the trials in flight. */
  casesDone: number;
  /** The best trial so far. */
  best?: SweepTrial;
  /** The trial just finished (on a trial's end). */
  finished?: SweepTrial;
  /** The report over the trials finished so far (on a trial's end), for a live panel. */
  report?: SweepReport;
}

export interface RunSweepOptions extends Omit<RunSuiteOptions, 'onProgress' | 'resume' | 'shard' | 'parentRunId' | 'dryRun' | 'models' | 'maxCostUsd'> {
  sweep?: SweepOverrides;
  onProgress?(p: SweepProgress): void;
  /** The parent run exists (before the first trial): the editor opens the live panel on it. */
  onStarted?(parentRunId: string, experimentId: string): void;
  /** Plan and estimate only: nothing is created and no model is called. */
  dryRun?: boolean;
}

export interface SweepResult {
  parentRunId?: string;
  experimentId?: string;
  report: SweepReport;
  plan: SweepPlan;
  status: RunStatus;
  cancelled: boolean;
  /** Calls, tokens and cost of all planned trials (one trial's estimate × trials). */
  estimate: CostEstimate;
  dryRun?: boolean;
  declined?: boolean;
  durationMs: number;
}

export async function runSweep(suite: LoadedSuite, opts: RunSweepOptions): Promise<SweepResult> {
  const started = Date.now();
  // 1. plan (and check the first trial the way an eval would, before anything is created)
  const plan = planSweep(suite, opts.sweep);
  const suiteRel = relTo(opts.workspaceRoot, suite.filePath);
  const { store } = opts;
  const probe = await runSuite(trialSuite({ suite, base: plan.base, dims: plan.dims, assignment: firstAssignment(plan), number: 1, sweepRunId: '' }), { ...opts, dryRun: true, confirmCost: undefined, onProgress: undefined });
  const estimate = scaleEstimate(probe.estimate, plan.proposer.planned);
  const nothing = (flags: { dryRun?: boolean; declined?: boolean }): SweepResult => ({
    ...flags, plan, status: 'SCHEDULED', cancelled: false, estimate, durationMs: Date.now() - started,
    report: buildSweepReport(plan, suiteRel, [], []),
  });
  if (opts.dryRun) return nothing({ dryRun: true });
  if (opts.confirmCost && !(await opts.confirmCost(estimate))) return nothing({ declined: true });

  const experimentId = await store.ensureExperiment(suite.experiment);
  const parentRunId = await createSweepParent(store, experimentId, suite, plan, opts.workspaceRoot);
  opts.onStarted?.(parentRunId, experimentId);
  const gate = new CallGate(opts.concurrency ?? suite.spec.concurrency ?? DEFAULT_CONCURRENCY);
  // Finished trials with their scores, kept in proposal order (trial number), whatever order they finish in.
  const done: { trial: SweepTrial; score: TrialScore }[] = [];
  const report = () => buildSweepReport(plan, suiteRel, done.map((d) => d.trial), done.map((d) => d.score));
  const inFlight = new Map<number, number>();
  let best: SweepTrial | undefined;
  const progress = (finished?: SweepTrial, report?: SweepReport) => opts.onProgress?.({
    trialsDone: done.length, trialsPlanned: plan.proposer.planned, casesDone: [...inFlight.values()].reduce((a, b) => a + b, 0), best, finished, report,
  });

  // 2. execute
  let proposed = 0;
  const runTrial = async (assignment: Assignment): Promise<void> => {
    const number = ++proposed;
    inFlight.set(number, 0);
    let result: SuiteResult | undefined;
    let error: string | undefined;
    try {
      result = await runSuite(trialSuite({ suite, base: plan.base, dims: plan.dims, assignment, number, sweepRunId: parentRunId }), {
        ...opts, parentRunId, confirmCost: undefined, dryRun: false,
        makeProvider: trialProviderFactory(gate, plan.dims, assignment, number, opts.makeProvider),
        onProgress: (p: EvalProgress) => { inFlight.set(number, p.done); progress(); },
      });
    } catch (e) {
      error = (e as Error).message;
    }
    inFlight.delete(number);
    const run = result?.runs[0];
    if (run) await logTrialParams(store, run.runId, assignment).catch(() => undefined);
    const score = scoreTrial(run?.status === 'FINISHED' ? run.metrics : undefined, plan.objective, plan.constraints);
    const trial: SweepTrial = {
      number, runId: run?.runId, params: assignment, status: run?.status ?? 'FAILED', metrics: run?.metrics ?? {},
      value: score.value, feasible: score.feasible, violated: score.violated, error: error ?? run?.error,
    };
    const at = done.findIndex((d) => d.trial.number > number);
    done.splice(at < 0 ? done.length : at, 0, { trial, score });
    const sofar = report();
    best = done.find((d) => d.trial.number === sofar.best)?.trial;
    progress(trial, sofar);
  };

  // In proposal order, never finishing order: the optimizer's ties then break the same way every time.
  const observations = (): Observation[] => done.map((d) => ({ assignment: d.trial.params, score: d.score }));
  if (plan.proposer.upFront) {
    // All trials known: keep `parallel` in flight, the next starting as soon as one ends.
    const lane = async () => {
      for (;;) {
        if (opts.signal?.aborted) return;
        const [a] = plan.proposer.next(1, []);
        if (!a) return;
        await runTrial(a);
      }
    };
    await Promise.all(Array.from({ length: plan.parallel }, lane));
  } else {
    for (;;) {
      if (opts.signal?.aborted) break;
      const batch = plan.proposer.next(plan.parallel, observations());
      if (!batch.length) break;
      await Promise.all(batch.map(runTrial));
    }
  }

  // 3. record
  const final = report();
  const cancelled = !!opts.signal?.aborted;
  const status: RunStatus = cancelled ? 'KILLED' : done.length && done.every((d) => d.trial.status === 'FAILED') ? 'FAILED' : 'FINISHED';
  await finishSweepParent(store, parentRunId, final, status);
  return { parentRunId, experimentId, report: final, plan, status, cancelled, estimate, durationMs: Date.now() - started };
}

/** A trial to check the suite with before starting (every dimension at its first value). */
function firstAssignment(plan: SweepPlan): Assignment {
  return Object.fromEntries(plan.dims.map((d) => [d.name, d.values ? d.values[0] : d.range!.min]));
}

function scaleEstimate(e: CostEstimate, trials: number): CostEstimate {
  return {
    runs: e.runs.map((r) => ({ ...r, rows: r.rows * trials, calls: r.calls * trials, judgeCalls: r.judgeCalls * trials, inputTokens: r.inputTokens * trials, outputTokens: r.outputTokens * trials, costUsd: r.costUsd * trials })),
    calls: e.calls * trials, inputTokens: e.inputTokens * trials, outputTokens: e.outputTokens * trials, costUsd: e.costUsd * trials, unpriced: e.unpriced,
  };
}
