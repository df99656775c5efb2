// A case trace in MLflow's trace JSON shape (mlflow.entities.Trace.to_dict(): {info, data:{spans}}
// with base64 ids and JSON-string attributes), the form the embedded store keeps as an artifact
// of the run (one trace a line in traces/*.jsonl) and MLflow's Trace.from_dict reads.
import type { CaseTrace } from './caseTrace';

export const TRACE_ARTIFACT_DIR = 'traces';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/**
 * One artifact per written batch, named by its first trace and size, so a batch written again
 * (a resumed run) replaces itself; readers take the last line per trace_id.
 */
export function traceBatchPath(batch: readonly CaseTrace[]): string {
  return `${TRACE_ARTIFACT_DIR}/${batch[0]?.traceId ?? 'empty'}+${batch.length}.jsonl`;
}

export function toTraceJson(t: CaseTrace): Record<string, unknown> {
  const { execution_duration, ...info } = t.info;
  return {
    info: { ...info, execution_duration_ms: Math.round(parseFloat(execution_duration) * 1000) },
    data: {
      spans: t.spans.map((s) => ({
        trace_id: b64(t.otelTraceId),
        span_id: b64(s.spanId),
        trace_state: '',
        parent_span_id: s.parentId ? b64(s.parentId) : '',
        name: s.name,
        start_time_unix_nano: ns(s.startMs),
        end_time_unix_nano: ns(Math.max(s.endMs, s.startMs)),
        attributes: Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, JSON.stringify(v)])),
        events: s.events.map((e) => ({ name: e.name, time_unix_nano: ns(e.timeMs), attributes: e.attributes })),
        status: { message: s.status.message ?? '', code: s.status.code === 'ERROR' ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK' },
      })),
    },
  };
}
