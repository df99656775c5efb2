// A trace's span tree on the wire (core: monitor/traceSpans.ts SpanNode), shared by every panel
// that shows a trace (Monitor, Compare): one schema, one webview renderer (webview-ui/shared/spanTree.ts).
import * as z from 'zod/mini';
import type { SpanNode } from '../core/monitor/traceSpans';

export interface SpanNodeWire {
  spanId: string; name: string; spanType: string; startOffsetMs: number; durationMs: number;
  status: 'OK' | 'ERROR' | 'UNSET'; statusMessage?: string; inputs: string; outputs: string; children: SpanNodeWire[];
}
export const spanNodeSchema: z.ZodMiniType<SpanNodeWire> = z.object({
  spanId: z.string(), name: z.string(), spanType: z.string(), startOffsetMs: z.number(), durationMs: z.number(),
  status: z.enum(['OK', 'ERROR', 'UNSET']), statusMessage: z.optional(z.string()), inputs: z.string(), outputs: z.string(),
  get children() { return z.array(spanNodeSchema); },
});

// Compile-time guard: the core node fits the wire shape.
const _spanFits: SpanNodeWire = {} as SpanNode;
void _spanFits;
