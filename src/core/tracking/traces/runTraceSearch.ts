// A run's traces as both backends read them back (StoredTrace: info and assessments, no spans).
// Both hold MLflow's TraceInfo JSON (the server answers SearchTracesV3 with it; the embedded store
// keeps it in its trace JSON lines), so one reader turns either into a StoredTrace.
import * as z from 'zod/mini';
import type { MlflowHttp } from '../mlflow/httpClient';
import { TrackingError, type Page, type StoredTrace, type TraceAssessment } from '../types';
import { quoteFilterValue } from '../filter';
import { TRACE_METADATA } from './traceKeys';

/** The server rejects max_results above this (mlflow/server/handlers.py _search_traces_v3). */
const MAX_PAGE = 500;

const assessmentSchema = z.object({
  assessment_id: z.optional(z.string()),
  assessment_name: z.optional(z.string()),
  source: z.optional(z.object({ source_type: z.optional(z.string()) })),
  rationale: z.optional(z.string()),
  feedback: z.optional(z.object({ value: z.optional(z.unknown()), error: z.optional(z.object({ error_code: z.optional(z.string()), error_message: z.optional(z.string()) })) })),
  expectation: z.optional(z.object({ value: z.optional(z.unknown()), serialized_value: z.optional(z.object({ value: z.optional(z.string()) })) })),
});

export const storedTraceInfoSchema = z.object({
  trace_id: z.string(),
  trace_location: z.optional(z.object({ mlflow_experiment: z.optional(z.object({ experiment_id: z.optional(z.string()) })) })),
  request_time: z.optional(z.union([z.string(), z.number()])),
  state: z.optional(z.string()),
  trace_metadata: z.optional(z.record(z.string(), z.string())),
  tags: z.optional(z.record(z.string(), z.string())),
  assessments: z.optional(z.array(assessmentSchema)),
});
type RawTraceInfo = z.infer<typeof storedTraceInfoSchema>;

const searchAnswer = z.object({ traces: z.optional(z.array(storedTraceInfoSchema)), next_page_token: z.optional(z.string()) });

function toAssessment(a: z.infer<typeof assessmentSchema>): TraceAssessment {
  const kind = a.expectation ? 'expectation' : 'feedback';
  const serialized = a.expectation?.serialized_value?.value;
  const value = kind === 'expectation' ? (serialized !== undefined ? JSON.parse(serialized) : a.expectation?.value) : a.feedback?.value;
  return {
    assessmentId: a.assessment_id ?? '', name: a.assessment_name ?? '', kind, value: value ?? null,
    ...(a.rationale ? { rationale: a.rationale } : {}), sourceType: a.source?.source_type ?? '',
    ...(a.feedback?.error ? { error: { code: a.feedback.error.error_code ?? '', message: a.feedback.error.error_message ?? '' } } : {}),
  };
}

/** MLflow's TraceInfo JSON (from either backend) as a StoredTrace. */
export function toStoredTrace(info: RawTraceInfo): StoredTrace {
  const t = info.request_time;
  return {
    traceId: info.trace_id,
    experimentId: info.trace_location?.mlflow_experiment?.experiment_id ?? '',
    runId: info.trace_metadata?.[TRACE_METADATA.sourceRun],
    state: info.state ?? 'OK',
    requestTime: typeof t === 'number' ? t : t ? Date.parse(t) : 0,
    tags: info.tags ?? {},
    assessments: (info.assessments ?? []).map(toAssessment),
  };
}

/** One page of a run's traces on a server (SearchTracesV3 with MLflow's own `run_id` filter), oldest first. */
export async function searchRunTraces(http: MlflowHttp, req: { experimentId: string; runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> {
  const raw = await http.request('POST', 'api/3.0/mlflow/traces/search', {
    json: {
      locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: req.experimentId } }],
      filter: `attribute.run_id = ${quoteFilterValue(req.runId)}`,
      max_results: Math.min(req.maxResults ?? MAX_PAGE, MAX_PAGE),
      order_by: ['timestamp_ms ASC'],
      page_token: req.pageToken,
    },
    retry: 'always',
  });
  const r = searchAnswer.safeParse(raw);
  if (!r.success) throw new TrackingError('INTERNAL_ERROR', `Unexpected answer from the MLflow server for traces/search: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return { items: (r.data.traces ?? []).map(toStoredTrace), nextPageToken: r.data.next_page_token || undefined };
}
