// The assessments of one case, as mlflow.genai.evaluate logs them: the dataset's expected value
// as an `expectation` (HUMAN source, like evaluate's expectations column), and each scorer's
// result as a `feedback` named by the scorer's metric name, with its value, its reason as
// rationale and its source (CODE or LLM_JUDGE). All carry mlflow.assessment.sourceRunId and sit
// on the root span. Ids are derived from the case, so re-sending merges instead of doubling.
import type { CaseTraceRun } from './caseTraceInput';
import type { CaseRow } from '../../eval/caseRow';
import { ASSESSMENT_METADATA } from './traceKeys';
import { assessmentId } from './traceIds';

/** MLflow's name for the expected answer (what its built-in correctness judges read). */
export const EXPECTATION_NAME = 'expected_response';

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
  feedback?: { value: unknown };
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
  return out;
}
