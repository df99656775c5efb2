// Writes case traces to an MLflow server the way mlflow.genai.evaluate does on a SQL backend:
// spans over OTLP (POST /v1/traces, protobuf, many traces per request), then StartTraceV3 per
// trace (run link in mlflow.sourceRun, tags, previews, and the assessments), link-prompts when
// a registered prompt version is known, and link-to-run in batches of ≤100. Every call goes
// through MlflowHttp (its retries); every write is idempotent because ids come from the case:
// MLflow 3.17.2's SQL store merges a StartTraceV3 for an existing trace id (tags, metadata and
// assessments by assessment_id: session.merge), upserts OTLP spans by (trace_id, span_id), skips
// run links that exist (link_traces_to_run) and merges prompt-link tags; so a batch replayed from
// the journal after a lost answer leaves each trace and assessment once.
import type { MlflowHttp } from '../mlflow/httpClient';
import type { TraceBatch } from '../types';
import type { CaseTraceInput, CaseTraceRun, PromptVersionRef } from './caseTraceInput';
import { buildCaseTrace, type CaseTrace } from './caseTrace';
import { encodeOtlp } from './otlp';
import { buildDatasetInput, type DatasetInputSpec } from './datasetInput';
import { MAX_LINK_TO_RUN } from './traceKeys';

export const OTLP_PATH = 'v1/traces';
const EXPERIMENT_HEADER = 'x-mlflow-experiment-id';
/**
 * Traces per pipeline step: StartTraceV3 for each, then one OTLP request with their spans (a case
 * has 3 + #scorers spans). Small steps, several at once, keep every server worker busy: a batch's
 * spans go out while the next step's trace infos are written.
 */
const STEP = 10;
/**
 * Steps in flight at once, and StartTraceV3 calls in flight within a step: 4 requests a batch, 8
 * with the sink's two batches, half the HTTP agent's 16 sockets, so the run's own writes (its
 * final metrics and status) never queue behind trace writes.
 */
const STEPS_IN_FLIGHT = 2;
const STARTS_PER_STEP = 2;
/** link-prompts calls in flight at once (a batch; two batches at most, as above). */
const PARALLEL = 4;
/**
 * Every this many trace writes asks the server to close the connection. MLflow's server
 * (uvicorn, 4 workers by default) accepts connections greedily: keep-alive sockets opened together
 * all land in one worker, so one core would serve every trace write (measured on 3.17.2, 4
 * workers, 2 cores: StartTraceV3 13.5 ms a trace with all sockets kept, 10 ms closing every 4th).
 * It also shortens a stall of that server: an answer on a reused connection takes ~44 ms (2 ms on
 * a fresh one; 6 ms with --workers 1), the mark of Nagle's algorithm meeting a delayed ACK.
 */
const RECONNECT_EVERY = 4;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class MlflowTraceWriter {
  private writes = 0;

  constructor(private readonly http: MlflowHttp) {}

  /** Headers for the next trace write (see RECONNECT_EVERY). */
  private spreadHeaders(): Record<string, string> | undefined {
    return ++this.writes % RECONNECT_EVERY === 0 ? { connection: 'close' } : undefined;
  }

  /** Builds the cases' traces and writes them (see writeTraces). */
  async writeCases(run: CaseTraceRun, inputs: readonly CaseTraceInput[], now = Date.now()): Promise<CaseTrace[]> {
    const traces = inputs.map((i) => buildCaseTrace(run, i, now));
    await this.writeTraces({ runId: run.runId, experimentId: run.experimentId, traces, linkedPrompt: run.linkedPrompt });
    return traces;
  }

  /** Writes traces (spans, info, assessments, prompt links) and links them to the run. */
  async writeTraces({ runId, experimentId, traces, linkedPrompt }: TraceBatch): Promise<void> {
    if (traces.length === 0) return;
    // StartTraceV3 first, then the spans: the server then adds spans to a finalized trace instead
    // of merging a trace OTLP created (an IntegrityError and a locked re-read per trace, about
    // twice as slow on MLflow's SQL store); the result is the same trace.
    await eachLimited(chunks(traces, STEP), STEPS_IN_FLIGHT, async (step) => {
      await eachLimited(step, STARTS_PER_STEP, (t) => this.startTrace(t));
      await this.sendSpans(experimentId, step);
    });
    if (linkedPrompt) await eachLimited(traces, PARALLEL, (t) => this.linkPrompts(t.traceId, [linkedPrompt]));
    await this.linkToRun(runId, traces.map((t) => t.traceId));
  }

  async sendSpans(experimentId: string, traces: readonly CaseTrace[]): Promise<void> {
    if (traces.length === 0) return;
    await this.http.request('POST', OTLP_PATH, {
      body: encodeOtlp(traces.map((t) => ({ otelTraceId: t.otelTraceId, spans: t.spans }))),
      contentType: 'application/x-protobuf',
      headers: { [EXPERIMENT_HEADER]: experimentId, ...this.spreadHeaders() },
      raw: true,
      retry: 'always',
    });
  }

  /** StartTraceV3; on an id that OTLP already created it merges (MLflow's own order). */
  async startTrace(t: CaseTrace): Promise<void> {
    await this.http.request('POST', 'api/3.0/mlflow/traces', { json: { trace: { trace_info: t.info } }, headers: this.spreadHeaders(), retry: 'always' });
  }

  async linkPrompts(traceId: string, prompts: PromptVersionRef[]): Promise<void> {
    await this.http.request('POST', 'api/2.0/mlflow/traces/link-prompts', {
      json: { trace_id: traceId, prompt_versions: prompts.map((p) => ({ name: p.name, version: String(p.version) })) },
      retry: 'always',
    });
  }

  async linkToRun(runId: string, traceIds: readonly string[]): Promise<void> {
    for (const ids of chunks(traceIds, MAX_LINK_TO_RUN)) {
      await this.http.request('POST', 'api/2.0/mlflow/traces/link-to-run', { json: { run_id: runId, trace_ids: ids }, retry: 'always' });
    }
  }

  async logDatasetInput(runId: string, d: DatasetInputSpec): Promise<void> {
    await this.http.request('POST', 'api/2.0/mlflow/runs/log-inputs', { json: { run_id: runId, datasets: [buildDatasetInput(d)] }, retry: 'always' });
  }
}
