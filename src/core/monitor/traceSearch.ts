// MLflow's trace search (SearchTracesV3, POST /api/3.0/mlflow/traces/search) and trace read
// (GET /api/3.0/mlflow/traces/get) over the store's HTTP client. Only trace infos come back
// from a search (≤500 a page, the server's cap); spans are read one trace at a time on demand.
import * as z from 'zod/mini';
import type { MlflowHttp } from '../tracking/mlflow/httpClient';
import type { Page } from '../tracking/types';
import { quoteFilterValue } from '../tracking/filter';

/** The server rejects max_results above this (mlflow/server/handlers.py _search_traces_v3). */
export const MAX_TRACES_PAGE = 500;
/** MLflow's trace search filter for traces linked to a prompt version (link-prompts). */
export function promptTraceFilter(name: string, version: string): string {
  return `prompt = ${quoteFilterValue(`${name}/${version}`)}`;
}

const assessmentSchema = z.object({
  assessment_name: z.optional(z.string()),
  feedback: z.optional(z.object({ value: z.optional(z.unknown()), error: z.optional(z.unknown()) })),
  expectation: z.optional(z.object({ value: z.optional(z.unknown()) })),
});

export const traceInfoSchema = z.object({
  trace_id: z.string(),
  trace_location: z.optional(z.object({ mlflow_experiment: z.optional(z.object({ experiment_id: z.optional(z.string()) })) })),
  request_time: z.optional(z.string()),
  execution_duration: z.optional(z.string()),
  state: z.optional(z.string()),
  request_preview: z.optional(z.string()),
  response_preview: z.optional(z.string()),
  trace_metadata: z.optional(z.record(z.string(), z.string())),
  tags: z.optional(z.record(z.string(), z.string())),
  assessments: z.optional(z.array(assessmentSchema)),
});
export type TraceInfoV3 = z.infer<typeof traceInfoSchema>;

const searchResponse = z.object({ traces: z.optional(z.array(traceInfoSchema)), next_page_token: z.optional(z.string()) });

export interface TraceSearch {
  experimentIds: string[];
  filter?: string;
  maxResults?: number;
  pageToken?: string;
}

/** One page of trace infos, newest first. */
export async function searchTraces(http: MlflowHttp, q: TraceSearch): Promise<Page<TraceInfoV3>> {
  const raw = await http.request('POST', 'api/3.0/mlflow/traces/search', {
    json: {
      locations: q.experimentIds.map((experiment_id) => ({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id } })),
      filter: q.filter,
      max_results: Math.min(q.maxResults ?? 100, MAX_TRACES_PAGE),
      order_by: ['timestamp_ms DESC'],
      page_token: q.pageToken,
    },
    retry: 'always',
  });
  const r = searchResponse.safeParse(raw);
  if (!r.success) throw new Error(`Unexpected answer from the MLflow server for traces/search: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return { items: r.data.traces ?? [], nextPageToken: r.data.next_page_token || undefined };
}

const spanSchema = z.object({
  span_id: z.optional(z.string()),
  parent_span_id: z.optional(z.string()),
  name: z.optional(z.string()),
  start_time_unix_nano: z.optional(z.union([z.string(), z.number()])),
  end_time_unix_nano: z.optional(z.union([z.string(), z.number()])),
  status: z.optional(z.object({ code: z.optional(z.string()), message: z.optional(z.string()) })),
  // OTel proto JSON: [{key, value: {string_value | int_value | …}}]; older payloads: a plain map.
  attributes: z.optional(z.union([z.record(z.string(), z.unknown()), z.array(z.object({ key: z.string(), value: z.optional(z.record(z.string(), z.unknown())) }))])),
});
type WireSpan = z.infer<typeof spanSchema>;
export type RawSpan = Omit<WireSpan, 'attributes'> & { attributes: Record<string, unknown> };

/**
 * An OTLP AnyValue in proto JSON as a plain value: string/bool/int/double as they are, and the
 * kvlist/array forms (what our writer sends for object inputs and outputs) as objects and arrays.
 */
function anyValue(v: Record<string, unknown> | undefined): unknown {
  if (!v) return undefined;
  if ('kvlist_value' in v) {
    const kv = (v.kvlist_value as { values?: { key: string; value?: Record<string, unknown> }[] } | undefined)?.values ?? [];
    return Object.fromEntries(kv.map((e) => [e.key, anyValue(e.value)]));
  }
  if ('array_value' in v) return ((v.array_value as { values?: Record<string, unknown>[] } | undefined)?.values ?? []).map(anyValue);
  if ('int_value' in v) return Number(v.int_value);
  return Object.values(v)[0];
}

function flatAttributes(a: WireSpan['attributes']): Record<string, unknown> {
  if (!a) return {};
  if (!Array.isArray(a)) return a;
  const out: Record<string, unknown> = {};
  for (const { key, value } of a) out[key] = anyValue(value);
  return out;
}
const getResponse = z.object({ trace: z.object({ trace_info: traceInfoSchema, spans: z.optional(z.array(spanSchema)) }) });

/** A trace's info and spans (OTel JSON) from a SQL-backed server. */
export async function getTrace(http: MlflowHttp, traceId: string): Promise<{ info: TraceInfoV3; spans: RawSpan[] }> {
  const raw = await http.request('GET', 'api/3.0/mlflow/traces/get', { query: { trace_id: traceId }, retry: 'always' });
  const r = getResponse.safeParse(raw);
  if (!r.success) throw new Error(`Unexpected answer from the MLflow server for traces/get ${traceId}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return { info: r.data.trace.trace_info, spans: (r.data.trace.spans ?? []).map((sp) => ({ ...sp, attributes: flatAttributes(sp.attributes) })) };
}
