// MLflow's trace JSON (traceJson.ts, the embedded store's traces/*.jsonl lines) read back into
// the CaseTrace that wrote it, so sync can send a stored trace to a server exactly as the runner
// would have: same ids, spans, info and assessments.
import type { CaseTrace } from './caseTrace';
import type { AttrValue, SpanRecord } from './spans';
import { durationJson, type TraceInfoBody } from './traceInfo';

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const ms = (ns: string) => Number(BigInt(ns) / 1000n) / 1000;

interface TraceJsonSpan {
  span_id: string;
  parent_span_id?: string;
  name: string;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  attributes: Record<string, string>;
  events?: { name: string; time_unix_nano: string; attributes: Record<string, AttrValue> }[];
  status?: { message?: string; code?: string };
}

export interface TraceJson {
  info: Omit<TraceInfoBody, 'execution_duration'> & { execution_duration_ms: number };
  data: { spans: TraceJsonSpan[] };
}

export function fromTraceJson(t: TraceJson): CaseTrace {
  const { execution_duration_ms, ...info } = t.info;
  const spans: SpanRecord[] = t.data.spans.map((s) => ({
    spanId: hex(s.span_id),
    ...(s.parent_span_id ? { parentId: hex(s.parent_span_id) } : {}),
    name: s.name,
    startMs: ms(s.start_time_unix_nano),
    endMs: ms(s.end_time_unix_nano),
    attributes: Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, JSON.parse(v) as AttrValue])),
    events: (s.events ?? []).map((e) => ({ name: e.name, timeMs: ms(e.time_unix_nano), attributes: e.attributes })),
    status: s.status?.code === 'STATUS_CODE_ERROR' ? { code: 'ERROR', ...(s.status.message ? { message: s.status.message } : {}) } : { code: 'OK' },
  }));
  return {
    otelTraceId: t.info.trace_id.replace(/^tr-/, ''),
    traceId: t.info.trace_id,
    spans,
    assessments: info.assessments ?? [],
    info: { ...info, execution_duration: durationJson(execution_duration_ms) },
  };
}
