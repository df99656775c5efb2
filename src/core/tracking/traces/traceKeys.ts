// Every name a case trace uses, in one place: MLflow's own keys (mlflow/tracing/constant.py,
// MLflow 3.17) and ours. Run-level tags live in eval/runContext.ts, prompt tags in
// mlflow/promptTags.ts; the trace tag mlflow.linkedPrompts shares its key and JSON with the run tag.
import { LINKED_PROMPTS_TAG } from '../mlflow/promptTags';
import { MLFLOW_TAG } from '../mlflowTags';

/** TraceInfo.trace_metadata keys (immutable once written; values are safe up to 250 chars). */
export const TRACE_METADATA = {
  sourceRun: 'mlflow.sourceRun',
  schemaVersion: 'mlflow.trace_schema.version',
  inputs: 'mlflow.traceInputs',
  outputs: 'mlflow.traceOutputs',
  user: MLFLOW_TAG.user,
  sourceName: MLFLOW_TAG.sourceName,
  sourceType: MLFLOW_TAG.sourceType,
  tokenUsage: 'mlflow.trace.tokenUsage',
  cost: 'mlflow.trace.cost',
} as const;

/** TraceInfo.tags keys. */
export const TRACE_TAGS = {
  traceName: 'mlflow.traceName',
  linkedPrompts: LINKED_PROMPTS_TAG,
  caseId: 'promptledger.caseId',
  caseIndex: 'promptledger.caseIndex',
  repeat: 'promptledger.repeat',
  passed: 'promptledger.passed',
  cached: 'promptledger.cached',
  errorKind: 'promptledger.errorKind',
} as const;

/** Span attribute keys. */
export const SPAN_ATTRS = {
  requestId: 'mlflow.traceRequestId',
  spanType: 'mlflow.spanType',
  inputs: 'mlflow.spanInputs',
  outputs: 'mlflow.spanOutputs',
  tokenUsage: 'mlflow.chat.tokenUsage',
  cost: 'mlflow.llm.cost',
  model: 'mlflow.llm.model',
  provider: 'mlflow.llm.provider',
  linkedPrompts: LINKED_PROMPTS_TAG,
  cached: 'promptledger.cached',
  latencyMs: 'promptledger.latencyMs',
  scorerSource: 'promptledger.scorerSource',
} as const;

/** Assessment.metadata keys. */
export const ASSESSMENT_METADATA = {
  sourceRunId: 'mlflow.assessment.sourceRunId',
} as const;

/** Dataset input tag keys (runs/log-inputs). */
export const INPUT_TAGS = {
  context: 'mlflow.data.context',
} as const;

/** MLflow's span types (mlflow.entities.SpanType) that case traces use. */
export const SPAN_TYPES = {
  case: 'CHAIN',
  render: 'PARSER',
  model: 'CHAT_MODEL',
  scorer: 'EVALUATOR',
} as const;

export const TRACE_SCHEMA_VERSION = '3';
/** MLflow keeps trace metadata values up to this length on every backend. */
export const MAX_TRACE_METADATA_CHARS = 250;
/** Previews as the OSS server truncates them. */
export const MAX_PREVIEW_CHARS = 1000;
/** link-to-run takes at most this many trace ids per call. */
export const MAX_LINK_TO_RUN = 100;
