// The runner's hand-off point for traces: a CaseSink per run that turns every recorded row into
// its case trace. Rows are written in background batches through the store's TraceStore side, so
// cases never wait for trace writes; runFinished drains what is left. On an MLflow server the
// batches are journaled like run writes (a server outage delays them; none is lost or doubled);
// the embedded store keeps them as JSON-lines artifacts of the run (traces/*.jsonl).
import type { TraceStore } from '../types';
import type { CaseSink, CaseRecordedEvent } from '../../eval/runner';
import type { LoadedDataset } from '../../eval/dataset';
import type { ModelSpec } from '../../eval/suiteSchema';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { modelName } from '../../eval/modelConfig';
import { renderPrompt } from '../../prompts/render';
import type { CaseTraceInput, CaseTraceRun, PromptVersionRef } from './caseTraceInput';
import { buildCaseTrace } from './caseTrace';
import type { DatasetInputSpec } from './datasetInput';

/** Cases per background write: one OTLP request on a server, one artifact file in the embedded store. */
const SERVER_BATCH = 50;
const EMBEDDED_BATCH = 500;
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

export class CaseTraceSink implements CaseSink {
  private pending: CaseTraceInput[] = [];
  private readonly chains: Promise<void>[] = Array.from({ length: BATCHES_IN_FLIGHT }, () => Promise.resolve());
  private flushes = 0;
  /** Traces handed to the store so far. */
  private handed = 0;
  private runCtx?: CaseTraceRun;
  private datasetLogged = false;
  /** The last write failure, if any (traces never fail the run; a server outage is journaled, not a failure). */
  lastError?: Error;

  constructor(
    private readonly c: TraceSinkRun,
    private readonly linkedPrompt: () => PromptVersionRef | undefined,
    private readonly store: TraceStore,
    private readonly batchSize = SERVER_BATCH,
  ) {}

  caseRecorded(e: CaseRecordedEvent): void {
    const endTime = Date.now();
    const { prompt } = this.c.run;
    let messages;
    if (!e.row.error || e.row.error.kind !== 'render') {
      try {
        messages = renderPrompt(prompt.parsed, { ...(prompt.parsed.sample ?? {}), ...e.row.vars }).messages;
      } catch {
        messages = undefined;
      }
    }
    this.runCtx ??= this.context(e.runId);
    this.pending.push({ row: e.row, messages, endTime, startTime: endTime - (e.row.latencyMs ?? 0) });
    if (this.pending.length >= this.batchSize) this.flush();
  }

  delivery(): TraceDelivery {
    return { traces: this.handed, ...(this.lastError ? { error: this.lastError.message } : {}) };
  }

  async runFinished(e: { runId: string }): Promise<void> {
    this.runCtx ??= this.context(e.runId);
    this.flush();
    await Promise.all(this.chains);
  }

  private context(runId: string): CaseTraceRun {
    const { run, plan, experimentId } = this.c;
    return {
      experimentId, runId, promptName: run.prompt.parsed.name, promptPath: run.prompt.rel, modelLabel: run.label,
      provider: run.model.provider, modelName: modelName(run.model), params: run.id.params, user: plan.user, sourceName: plan.suiteRel, scorerNames: run.id.scorerNames,
    };
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const ctx = { ...this.runCtx!, linkedPrompt: this.linkedPrompt() };
    const logDataset = !this.datasetLogged;
    this.datasetLogged = true;
    const k = this.flushes++ % this.chains.length;
    this.chains[k] = this.chains[k].then(async () => {
      if (logDataset) {
        try {
          await this.store.logDatasetInput(ctx.runId, this.datasetSpec());
        } catch (err) {
          this.lastError = err as Error;
          this.datasetLogged = false; // tried again with the next batch
        }
      }
      if (!batch.length) return;
      try {
        const traces = batch.map((input) => buildCaseTrace(ctx, input));
        await this.store.logTraces({ runId: ctx.runId, experimentId: ctx.experimentId, traces, linkedPrompt: ctx.linkedPrompt });
        this.handed += traces.length;
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

/** The trace sink for a run on this store: a server takes a batch a request round, the embedded store a file a batch. */
export function caseTraceSink(store: TraceStore, c: TraceSinkRun, linkedPrompt: () => PromptVersionRef | undefined): CaseTraceSink {
  return new CaseTraceSink(c, linkedPrompt, store, store.kind === 'mlflow' ? SERVER_BATCH : EMBEDDED_BATCH);
}
