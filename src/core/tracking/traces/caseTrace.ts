// One case → everything MLflow keeps about it: ids, spans, assessments and the trace info.
// Pure: the same case always gives the same trace (ids included), whichever backend stores it.
import type { CaseTraceInput, CaseTraceRun } from './caseTraceInput';
import { buildCaseSpans, caseTiming, type SpanRecord } from './spans';
import { buildAssessments, type AssessmentBody } from './assessments';
import { buildTraceInfo, type TraceInfoBody } from './traceInfo';
import { mlflowTraceId, otelTraceId } from './traceIds';

export interface CaseTrace {
  /** 32 hex chars. */
  otelTraceId: string;
  /** `tr-<otelTraceId>`. */
  traceId: string;
  spans: SpanRecord[];
  assessments: AssessmentBody[];
  info: TraceInfoBody;
}

export function buildCaseTrace(run: CaseTraceRun, input: CaseTraceInput, now = Date.now()): CaseTrace {
  const { row } = input;
  const otelId = otelTraceId(run.runId, row.caseId, row.caseIndex, row.repeat);
  const traceId = mlflowTraceId(otelId);
  const timing = caseTiming(input, now);
  const spans = buildCaseSpans(run, input, otelId, traceId, now);
  const assessments = buildAssessments(run, row, traceId, spans[0].spanId, timing.endMs);
  const info = buildTraceInfo(run, input, traceId, timing, assessments);
  return { otelTraceId: otelId, traceId, spans, assessments, info };
}
