// Messages between the extension host and the Monitor panel webview (production traces of one
// prompt version). Both sides validate every incoming message with these schemas.
//
// webview → host: ready; page {id, pageToken?} → {rows, nextPageToken?}; openTrace {id, traceId}
//   → {traceId, spans} (the span tree).
// host → webview: init {state} (target + summary), error {message}, reply.
import * as z from 'zod/mini';
import type { MonitorSummary } from '../core/monitor/monitorSummary';
import type { TraceRow } from '../core/monitor/traceRows';
import { idField, readySchema, replyEnvelopeSchema, type RequestType, type SameType } from './messaging';
import { spanNodeSchema } from './spanTreeProtocol';

const n = z.nullable(z.number());

export const monitorSummarySchema = z.object({
  count: z.number(), errors: z.number(), errorRate: n, latencyP50Ms: n, latencyP95Ms: n,
  inputTokens: z.number(), outputTokens: z.number(), totalTokens: z.number(),
  assessments: z.array(z.object({ name: z.string(), mean: z.number(), count: z.number() })),
  bucketSize: z.enum(['hour', 'day']),
  buckets: z.array(z.object({ start: z.number(), count: z.number(), errors: z.number(), p50Ms: n })),
  firstTime: n, lastTime: n,
});

export const traceRowSchema = z.object({
  traceId: z.string(), experimentId: z.string(), time: n, state: z.string(), durationMs: n,
  request: z.string(), response: z.string(), totalTokens: n,
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const summaryMatchesCore: Same<z.infer<typeof monitorSummarySchema>, MonitorSummary> = true;
export const rowMatchesCore: Same<z.infer<typeof traceRowSchema>, TraceRow> = true;

export const monitorStateSchema = z.object({
  name: z.string(), version: z.string(), label: z.string(), serverUrl: z.string(),
  summary: monitorSummarySchema, scanned: z.number(), truncated: z.boolean(),
});
export type MonitorState = z.infer<typeof monitorStateSchema>;

export const tracePageSchema = z.object({ rows: z.array(traceRowSchema), nextPageToken: z.optional(z.string()) });
export const traceDetailSchema = z.object({ traceId: z.string(), spans: z.array(spanNodeSchema) });

export const monitorToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), state: monitorStateSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
  replyEnvelopeSchema,
]);
export type MonitorToWebview = z.infer<typeof monitorToWebviewSchema>;

export const monitorToHostSchema = z.discriminatedUnion('type', [
  readySchema,
  z.object({ type: z.literal('page'), id: idField, pageToken: z.optional(z.string().check(z.maxLength(4096))) }),
  z.object({ type: z.literal('openTrace'), id: idField, traceId: z.string().check(z.minLength(1), z.maxLength(100)) }),
]);
export type MonitorToHost = z.infer<typeof monitorToHostSchema>;

/** Each request's reply result, by request type (see RequestOf in messaging.ts). */
export interface MonitorResults {
  page: z.infer<typeof tracePageSchema>;
  openTrace: z.infer<typeof traceDetailSchema>;
}
export const monitorResultsCoverRequests: SameType<keyof MonitorResults, RequestType<MonitorToHost>> = true;
