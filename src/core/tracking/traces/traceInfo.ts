// The TraceInfo (MLflow's StartTraceV3 body) of one case: where it lives, when it ran, its
// state and previews, metadata linking it to the run (mlflow.sourceRun), and tags (trace name,
// the linked prompt version, the case's identity). Times are RFC 3339 / protobuf durations: the
// server silently drops integer ones.
import type { CaseTraceInput, CaseTraceRun } from './caseTraceInput';
import type { AssessmentBody } from './assessments';
import type { CaseTiming } from './spans';
import { addLinkedPrompt } from '../mlflow/promptTags';
import { MAX_PREVIEW_CHARS, MAX_TRACE_METADATA_CHARS, TRACE_METADATA, TRACE_SCHEMA_VERSION, TRACE_TAGS } from './traceKeys';
import { pyDumps, truncate } from './pyJson';

export interface TraceInfoBody {
  trace_id: string;
  trace_location: { type: 'MLFLOW_EXPERIMENT'; mlflow_experiment: { experiment_id: string } };
  request_time: string;
  execution_duration: string;
  state: 'OK' | 'ERROR';
  request_preview: string;
  /** Absent when the case produced no output. */
  response_preview?: string;
  trace_metadata: Record<string, string>;
  tags: Record<string, string>;
  assessments: AssessmentBody[];
}

/** Protobuf Duration in JSON: seconds with up to nanosecond decimals, e.g. "0.148s". */
export function durationJson(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(6).replace(/\.?0+$/, '')}s`;
}

export function buildTraceInfo(run: CaseTraceRun, input: CaseTraceInput, traceId: string, timing: CaseTiming, assessments: AssessmentBody[]): TraceInfoBody {
  const { row } = input;
  const inputs = pyDumps(row.vars);
  // A case without an output (it raised) has empty trace outputs and no response preview, as
  // MLflow's tracing leaves them when the traced function raised.
  const outputs = row.output === undefined ? '' : pyDumps(row.output);
  const meta: Record<string, string> = {
    [TRACE_METADATA.sourceRun]: run.runId,
    [TRACE_METADATA.schemaVersion]: TRACE_SCHEMA_VERSION,
    [TRACE_METADATA.inputs]: truncate(inputs, MAX_TRACE_METADATA_CHARS),
    [TRACE_METADATA.outputs]: truncate(outputs, MAX_TRACE_METADATA_CHARS),
    [TRACE_METADATA.sourceType]: 'LOCAL',
  };
  if (run.user) meta[TRACE_METADATA.user] = run.user;
  if (run.sourceName) meta[TRACE_METADATA.sourceName] = truncate(run.sourceName, MAX_TRACE_METADATA_CHARS);
  if (row.inputTokens !== undefined || row.outputTokens !== undefined) {
    const i = row.inputTokens ?? 0;
    const o = row.outputTokens ?? 0;
    meta[TRACE_METADATA.tokenUsage] = pyDumps({ input_tokens: i, output_tokens: o, total_tokens: i + o });
  }
  if (row.costUsd !== undefined) meta[TRACE_METADATA.cost] = pyDumps({ total_cost: row.costUsd });

  const tags: Record<string, string> = {
    [TRACE_TAGS.traceName]: run.promptName,
    [TRACE_TAGS.caseId]: row.caseId,
    [TRACE_TAGS.caseIndex]: String(row.caseIndex),
    [TRACE_TAGS.repeat]: String(row.repeat),
    [TRACE_TAGS.passed]: String(row.pass),
    [TRACE_TAGS.cached]: String(!!row.cached),
  };
  if (run.linkedPrompt) tags[TRACE_TAGS.linkedPrompts] = addLinkedPrompt(undefined, run.linkedPrompt);
  if (row.error) tags[TRACE_TAGS.errorKind] = row.error.kind;

  return {
    trace_id: traceId,
    trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: run.experimentId } },
    request_time: new Date(timing.startMs).toISOString(),
    execution_duration: durationJson(timing.endMs - timing.startMs),
    state: row.error ? 'ERROR' : 'OK',
    request_preview: truncate(inputs, MAX_PREVIEW_CHARS),
    ...(row.output === undefined ? {} : { response_preview: truncate(outputs, MAX_PREVIEW_CHARS) }),
    trace_metadata: meta,
    tags,
    assessments,
  };
}
