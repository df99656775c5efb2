// The runner's hand-off point for traces: a CaseSink per run that turns every recorded row into
// its case trace, and logs the run's dataset input. To an MLflow server rows are written in
// background batches through the store's TraceStore side, so cases never wait for trace writes;
// runFinished drains what is left; the batches are journaled like run writes (a server outage
// delays them; none is lost or doubled). A store that keeps the case journal with the run (the
// embedded store) builds the traces from it when read: the sink hands it the run's trace context
// once and does nothing per case (journalTraces.ts).
import type { TraceStore } from '../types';
import type { CaseSink, CaseRecordedEvent } from '../../eval/runner';
import type { LoadedDataset } from '../../eval/dataset';
import type { ModelSpec } from '../../eval/suiteSchema';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { modelName } from '../../eval/modelConfig';
import type { CaseTraceInput, CaseTraceRun, PromptVersionRef } from './caseTraceInput';
import { buildCaseTrace } from './caseTrace';
import { caseTraceMessages } from './journalTraces';
import type { DatasetInputSpec } from './datasetInput';

/** Cases per background write: one OTLP request round on a server. */
const SERVER_BATCH = 50;
/**
 * Batches written at once (each its own chain, batches dealt round-robin): while one batch ends
 * (its last trace infos, its run links) the next keeps the server's workers busy.
 */
const BATCHES_IN_FLIGHT = 2;

/** What the sink reads of a planned run (a RecorderContext satisfies it). */
export interface TraceSinkRun {
  plan: { dataset: Pick<LoadedDataset, 'fileName' | 'hash' | 'cases'> & Partial<Pick<LoadedDataset, 'variables' | 'hasExpectations'>>; user: string; suiteRel: string };
  run: {
    id: { params: object; datasetRel?: string; git: { commit?: string }; scorerNames?: readonly string[] };
    prompt: { rel: string; parsed: ParsedPrompt };
    model: ModelSpec;
    label: string;
  };
  experimentId: string;
}

/** What became of a run's case traces. */
export interface TraceDelivery {
  /** Traces handed to the store (written, or journaled until the server is back). */
  traces: number;
  /** The last write the store refused (traces never fail the run). */
  error?: string;
}

/** Several runs' deliveries as one: the traces added up, the last refusal kept. */
export function combineDeliveries(all: readonly TraceDelivery[]): TraceDelivery {
  const error = all.map((d) => d.error).filter(Boolean).pop();
  return { traces: all.reduce((a, d) => a + d.traces, 0), ...(error ? { error } : {}) };
}

/** What a run's case traces need besides its rows; one sink a run, on either kind of store. */
export abstract class RunTraceSink implements CaseSink {
  protected readonly chains: Promise<void>[] = Array.from({ length: BATCHES_IN_FLIGHT }, () => Promise.resolve());
  private enqueued = 0;
  /** Traces handed to the store so far. */
  protected handed = 0;
  private runCtx?: CaseTraceRun;
  private datasetLogged = false;
  /** The last write failure, if any (traces never fail the run; a server outage is journaled, not a failure). */
  lastError?: Error;

  constructor(
    protected readonly c: TraceSinkRun,
    protected readonly linkedPrompt: () => PromptVersionRef | undefined,
    protected readonly store: TraceStore,
  ) {}

  abstract caseRecorded(e: CaseRecordedEvent): void;
  abstract runFinished(e: { runId: string }): Promise<void>;

  delivery(): TraceDelivery {
    return { traces: this.handed, ...(this.lastError ? { error: this.lastError.message } : {}) };
  }

  protected context(runId: string): CaseTraceRun {
    this.runCtx ??= this.newContext(runId);
    return { ...this.runCtx, linkedPrompt: this.linkedPrompt() };
  }

  private newContext(runId: string): CaseTraceRun {
    const { run, plan, experimentId } = this.c;
    return {
      experimentId, runId, promptName: run.prompt.parsed.name, promptPath: run.prompt.rel, modelLabel: run.label,
      provider: run.model.provider, modelName: modelName(run.model), params: run.id.params, user: plan.user, sourceName: plan.suiteRel, scorerNames: run.id.scorerNames,
    };
  }

  /** Queues `write` on the next chain (round-robin), after the run's dataset input if it is not logged yet. */
  protected enqueue(runId: string, write: () => Promise<void>): void {
    const logDataset = !this.datasetLogged;
    this.datasetLogged = true;
    const k = this.enqueued++ % this.chains.length;
    this.chains[k] = this.chains[k].then(async () => {
      if (logDataset) {
        try {
          await this.store.logDatasetInput(runId, this.datasetSpec());
        } catch (err) {
          this.lastError = err as Error;
          this.datasetLogged = false; // tried again with the next batch
        }
      }
      try {
        await write();
      } catch (err) {
        this.lastError = err as Error;
      }
    });
  }

  private datasetSpec(): DatasetInputSpec {
    const { id } = this.c.run;
    const d = this.c.plan.dataset;
    return {
      name: d.fileName, hash: d.hash, path: id.datasetRel, commit: id.git.commit, rows: d.cases.length,
      // A run's dataset knows these without reading its (streamed) cases again.
      variables: [...(d.variables ?? new Set(Array.from(d.cases).flatMap((c) => Object.keys(c.vars))))], hasExpectations: d.hasExpectations ?? Array.from(d.cases).some((c) => c.expected !== undefined),
    };
  }
}

/** To an MLflow server: each case's trace, built and written in background batches. */
export class ServerTraceSink extends RunTraceSink {
  private pending: CaseTraceInput[] = [];

  constructor(c: TraceSinkRun, linkedPrompt: () => PromptVersionRef | undefined, store: TraceStore, private readonly batchSize = SERVER_BATCH) {
    super(c, linkedPrompt, store);
  }

  caseRecorded(e: CaseRecordedEvent): void {
    // Started its latency before now (caseTiming's default).
    this.pending.push({ row: e.row, messages: caseTraceMessages(this.c.run.prompt.parsed, e.row), endTime: Date.now() });
    if (this.pending.length >= this.batchSize) this.flush(e.runId);
  }

  async runFinished(e: { runId: string }): Promise<void> {
    this.flush(e.runId);
    await Promise.all(this.chains);
  }

  private flush(runId: string): void {
    const batch = this.pending;
    this.pending = [];
    const ctx = this.context(runId);
    this.enqueue(runId, async () => {
      if (!batch.length) return;
      const traces = batch.map((input) => buildCaseTrace(ctx, input));
      await this.store.logTraces({ runId: ctx.runId, experimentId: ctx.experimentId, traces, linkedPrompt: ctx.linkedPrompt });
      this.handed += traces.length;
    });
  }
}

/**
 * To a store that keeps the case journal with the run: its trace context, when the first case is
 * recorded (so a killed run's cases have their traces) and again when the run ends (with the
 * prompt version found meanwhile). Each row is already in the journal when the sink sees it.
 */
export class JournalTraceSink extends RunTraceSink {
  caseRecorded(e: CaseRecordedEvent): void {
    if (this.handed++ === 0) this.writeContext(e.runId);
  }

  async runFinished(e: { runId: string }): Promise<void> {
    this.writeContext(e.runId);
    await Promise.all(this.chains);
  }

  private writeContext(runId: string): void {
    const context = { v: 1 as const, run: this.context(runId), prompt: this.c.run.prompt.parsed };
    this.enqueue(runId, () => this.store.logJournalTraces!(context));
  }
}

/** The trace sink for a run on this store: a server takes a batch a request round; a store with the journal builds the traces from it. */
export function caseTraceSink(store: TraceStore, c: TraceSinkRun, linkedPrompt: () => PromptVersionRef | undefined): RunTraceSink {
  return store.logJournalTraces ? new JournalTraceSink(c, linkedPrompt, store) : new ServerTraceSink(c, linkedPrompt, store, SERVER_BATCH);
}
