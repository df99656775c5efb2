// Span records → an OTLP ExportTraceServiceRequest in protobuf, encoded by OpenTelemetry's own
// serializer (@opentelemetry/otlp-transformer), ready for MLflow's POST /v1/traces. The spans
// describe cases that already ran, so they are built as finished ReadableSpans with their real
// times and ids rather than recorded live through a tracer.
// The trace serializer's own module: the package index also loads the metrics and logs SDKs
// (245 KB minified against 28 KB). The package has no exports map and is pinned (~0.223.1).
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer/build/src/trace/protobuf';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type { SpanRecord } from './spans';

type ReadableSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];

const RESOURCE = resourceFromAttributes({ 'service.name': 'prompt-ledger' });
const SCOPE = { name: 'prompt-ledger' };

export function hrTime(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  const ns = Math.min(999_999_999, Math.max(0, Math.round((ms - s * 1000) * 1e6)));
  return [s, ns];
}

function hrDiff(a: HrTime, b: HrTime): HrTime {
  let s = b[0] - a[0];
  let ns = b[1] - a[1];
  if (ns < 0) { s -= 1; ns += 1e9; }
  return s < 0 ? [0, 0] : [s, ns];
}

export function toReadableSpan(traceId: string, rec: SpanRecord): ReadableSpan {
  const startTime = hrTime(rec.startMs);
  const endTime = hrTime(Math.max(rec.endMs, rec.startMs));
  const ctx = { traceId, spanId: rec.spanId, traceFlags: TraceFlags.SAMPLED };
  return {
    name: rec.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => ctx,
    parentSpanContext: rec.parentId ? { traceId, spanId: rec.parentId, traceFlags: TraceFlags.SAMPLED } : undefined,
    startTime,
    endTime,
    duration: hrDiff(startTime, endTime),
    ended: true,
    status: rec.status.code === 'ERROR' ? { code: SpanStatusCode.ERROR, message: rec.status.message } : { code: SpanStatusCode.OK },
    // The serializer writes objects as kvlists and arrays as arrays: the nested values MLflow's
    // own client sends (the SDK's Attributes type is narrower than what OTLP carries).
    attributes: rec.attributes as ReadableSpan['attributes'],
    links: [],
    events: rec.events.map((e) => ({ name: e.name, time: hrTime(e.timeMs), attributes: e.attributes as ReadableSpan['attributes'] })),
    resource: RESOURCE,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** One protobuf request for the spans of many traces. */
export function encodeOtlp(traces: { otelTraceId: string; spans: SpanRecord[] }[]): Uint8Array {
  const spans = traces.flatMap((t) => t.spans.map((s) => toReadableSpan(t.otelTraceId, s)));
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error('OpenTelemetry could not encode the case spans.');
  return body;
}
