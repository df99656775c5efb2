// The assessments of one case, as mlflow.genai.evaluate logs them: the dataset's expected value
// as an `expectation` (HUMAN source, like evaluate's expectations column), and each scorer's
// result as a `feedback` named by the scorer's metric name, with its value, its reason as
// rationale and its source (CODE or LLM_JUDGE). All carry mlflow.assessment.sourceRunId and sit
// on the root span. Ids are derived from the case, so re-sending merges instead of doubling.
// A case whose model call (or render) failed has no output to score: evaluate still logs one
// feedback per scorer for such a row, and a scorer that cannot score it logs an errored feedback
// (no value; error {error_code, error_message}, source CODE — harness.py _compute_eval_scores).
// Ours does the same for each of the suite's scorers, with the case's error as the message.
import type { CaseTraceRun } from './caseTraceInput';
import type { CaseRow } from '../../eval/caseRow';
import { ASSESSMENT_METADATA } from './traceKeys';
import { assessmentId } from './traceIds';

/** MLflow's name for the expected answer (what its built-in correctness judges read). */
export const EXPECTATION_NAME = 'expected_response';

/** MLflow's AssessmentError (mlflow/entities/assessment_error.py). */
export interface AssessmentErrorBody { error_code: string; error_message: string }

/** The error code of a feedback whose case produced no output to score. */
export const NO_OUTPUT_ERROR_CODE = 'PREDICTION_ERROR';

export interface AssessmentBody {
  assessment_id: string;
  assessment_name: string;
  trace_id: string;
  span_id: string;
  source: { source_type: 'HUMAN' | 'CODE' | 'LLM_JUDGE'; source_id: string };
  create_time: string;
  last_update_time: string;
  rationale?: string;
  metadata: Record<string, string>;
  feedback?: { value: unknown } | { error: AssessmentErrorBody };
  expectation?: { value: unknown };
}

export function buildAssessments(run: CaseTraceRun, row: CaseRow, traceId: string, rootSpanId: string, timeMs: number): AssessmentBody[] {
  const time = new Date(timeMs).toISOString();
  const base = { trace_id: traceId, span_id: rootSpanId, create_time: time, last_update_time: time };
  const metadata = { [ASSESSMENT_METADATA.sourceRunId]: run.runId };
  const out: AssessmentBody[] = [];
  if (row.expected !== undefined && row.expected !== null) {
    out.push({
      ...base,
      assessment_id: assessmentId(traceId, `expectation:${EXPECTATION_NAME}`),
      assessment_name: EXPECTATION_NAME,
      source: { source_type: 'HUMAN', source_id: run.user ?? 'unknown' },
      metadata,
      expectation: { value: row.expected },
    });
  }
  row.scores.forEach((s, i) => {
    out.push({
      ...base,
      assessment_id: assessmentId(traceId, `feedback:${i}:${s.name}`),
      assessment_name: s.name,
      source: { source_type: s.source, source_id: s.name },
      ...(s.reason ? { rationale: s.reason } : {}),
      metadata,
      feedback: { value: Number.isFinite(s.score) ? s.score : null },
    });
  });
  if (row.error && row.scores.length === 0) {
    const message = `Not scored: the case produced no output (${row.error.kind}: ${row.error.message})`;
    (run.scorerNames ?? []).forEach((name, i) => {
      out.push({
        ...base,
        assessment_id: assessmentId(traceId, `feedback:${i}:${name}`),
        assessment_name: name,
        source: { source_type: 'CODE', source_id: name },
        metadata,
        feedback: { error: { error_code: NO_OUTPUT_ERROR_CODE, error_message: message } },
      });
    });
  }
  return out;
}
