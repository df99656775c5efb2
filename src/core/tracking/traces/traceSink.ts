// The runner's hand-off point for traces: a CaseSink per run that turns every recorded row into
// its case trace. Rows are written in background batches, so cases never wait for trace writes;
// runFinished drains what is left. Behind the backend choice: an MLflow server gets OTLP spans,
// StartTraceV3 with assessments, prompt and run links and the dataset input; the embedded store
// keeps the traces as JSON-lines artifacts of the run (traces/*.jsonl), one MLflow trace JSON a line.
import type { TrackingStore } from '../types';
import { MlflowStore } from '../mlflow/mlflowStore';
import type { CaseSink, CaseRecordedEvent } from '../../eval/runner';
import type { LoadedDataset } from '../../eval/dataset';
import type { ModelSpec } from '../../eval/suiteSchema';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { modelName } from '../../eval/modelConfig';
import { renderPrompt } from '../../prompts/render';
import type { CaseTraceInput, CaseTraceRun, PromptVersionRef } from './caseTraceInput';
import { buildCaseTrace } from './caseTrace';
import { MlflowTraceWriter } from './mlflowTraceWriter';
import { toTraceJson, traceBatchPath } from './traceJson';
import type { DatasetInputSpec } from './datasetInput';

/** Cases per background write: one OTLP request on a server, one artifact file in the embedded store. */
const SERVER_BATCH = 50;
const EMBEDDED_BATCH = 500;

/** What the sink reads of a planned run (a RecorderContext satisfies it). */
export interface TraceSinkRun {
  plan: { dataset: Pick<LoadedDataset, 'fileName' | 'hash' | 'cases'> & Partial<Pick<LoadedDataset, 'variables' | 'hasExpectations'>>; user: string; suiteRel: string };
  run: {
    id: { params: object; datasetRel?: string; git: { commit?: string } };
    prompt: { rel: string; parsed: ParsedPrompt };
    model: ModelSpec;
    label: string;
  };
  experimentId: string;
}

type Write = (run: CaseTraceRun, inputs: CaseTraceInput[]) => Promise<void>;

export class CaseTraceSink implements CaseSink {
  private pending: CaseTraceInput[] = [];
  private chain: Promise<void> = Promise.resolve();
  private runCtx?: CaseTraceRun;
  private datasetLogged = false;
  /** The last write failure, if any (traces never fail the run). */
  lastError?: Error;

  constructor(
    private readonly c: TraceSinkRun,
    private readonly linkedPrompt: () => PromptVersionRef | undefined,
    private readonly write: Write,
    private readonly logDataset?: (runId: string, d: DatasetInputSpec) => Promise<void>,
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

  async runFinished(e: { runId: string }): Promise<void> {
    this.runCtx ??= this.context(e.runId);
    this.flush();
    await this.chain;
  }

  private context(runId: string): CaseTraceRun {
    const { run, plan, experimentId } = this.c;
    return {
      experimentId, runId, promptName: run.prompt.parsed.name, promptPath: run.prompt.rel, modelLabel: run.label,
      provider: run.model.provider, modelName: modelName(run.model), params: run.id.params, user: plan.user, sourceName: plan.suiteRel,
    };
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const ctx = { ...this.runCtx!, linkedPrompt: this.linkedPrompt() };
    this.chain = this.chain.then(async () => {
      try {
        if (!this.datasetLogged && this.logDataset) {
          await this.logDataset(ctx.runId, this.datasetSpec());
          this.datasetLogged = true;
        }
        if (batch.length) await this.write(ctx, batch);
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

/** The trace sink for a run on this store: MLflow servers get real traces, the embedded store trace JSON artifacts. */
export function caseTraceSink(store: TrackingStore, c: TraceSinkRun, linkedPrompt: () => PromptVersionRef | undefined): CaseTraceSink {
  if (store instanceof MlflowStore) {
    const writer = new MlflowTraceWriter(store.httpClient);
    return new CaseTraceSink(c, linkedPrompt, async (run, inputs) => { await writer.writeCases(run, inputs); }, (runId, d) => writer.logDatasetInput(runId, d));
  }
  // One JSON-lines artifact per batch (one fsync per 500 cases, not per case).
  return new CaseTraceSink(c, linkedPrompt, async (run, inputs) => {
    const traces = inputs.map((input) => buildCaseTrace(run, input));
    await store.uploadArtifact(run.runId, traceBatchPath(traces), traces.map((t) => JSON.stringify(toTraceJson(t))).join('\n') + '\n');
  }, undefined, EMBEDDED_BATCH);
}
