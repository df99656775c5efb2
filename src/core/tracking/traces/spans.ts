// The spans of one case trace, as plain records: the case (root: inputs are the case's vars,
// outputs the model's output), the prompt render, the model call (messages, params, token
// usage, latency, provider, cache hit) and one span per scorer. Attribute values are plain
// JSON values, as MLflow's Python client sends them (objects become OTLP kvlists).
import type { CaseTraceInput, CaseTraceRun } from './caseTraceInput';
import { SPAN_ATTRS, SPAN_TYPES } from './traceKeys';
import { spanId as makeSpanId } from './traceIds';

export type AttrValue = string | number | boolean | null | AttrValue[] | { [k: string]: AttrValue };

export interface SpanRecord {
  spanId: string;
  parentId?: string;
  name: string;
  /** Epoch ms (fractions allowed). */
  startMs: number;
  endMs: number;
  attributes: Record<string, AttrValue>;
  status: { code: 'OK' | 'ERROR'; message?: string };
  events: { name: string; timeMs: number; attributes: Record<string, AttrValue> }[];
}

export interface CaseTiming { startMs: number; endMs: number; modelStartMs: number; modelEndMs: number }

/** Where the model call sits in the case: right after rendering, for the reported latency. */
export function caseTiming(input: CaseTraceInput, now = Date.now()): CaseTiming {
  const latency = Math.max(0, input.row.latencyMs ?? 0);
  const endMs = input.endTime ?? now;
  const startMs = Math.min(input.startTime ?? endMs - latency, endMs);
  const modelStartMs = startMs;
  const modelEndMs = Math.min(endMs, modelStartMs + latency);
  return { startMs, endMs, modelStartMs, modelEndMs };
}

/** JSON-safe copy: undefined dropped, non-finite numbers as null, anything odd as its string. */
export function toAttr(v: unknown): AttrValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(toAttr);
  if (typeof v === 'object') {
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = toAttr(x);
    return out;
  }
  return String(v);
}

function errorEvent(timeMs: number, kind: string, message: string): SpanRecord['events'][number] {
  // OpenTelemetry's exception event, which MLflow's UI shows on the span.
  return { name: 'exception', timeMs, attributes: { 'exception.type': kind, 'exception.message': message } };
}

export function buildCaseSpans(run: CaseTraceRun, input: CaseTraceInput, otelTraceId: string, requestId: string, now?: number): SpanRecord[] {
  const { row } = input;
  const t = caseTiming(input, now);
  const id = (key: string) => makeSpanId(otelTraceId, key);
  const rootId = id('root');
  const err = row.error;
  const renderFailed = err?.kind === 'render';
  const modelFailed = !!err && !renderFailed;
  const spans: SpanRecord[] = [];

  spans.push({
    spanId: rootId,
    name: run.promptName,
    startMs: t.startMs,
    endMs: t.endMs,
    attributes: {
      [SPAN_ATTRS.requestId]: requestId,
      [SPAN_ATTRS.spanType]: SPAN_TYPES.case,
      [SPAN_ATTRS.inputs]: toAttr(row.vars),
      ...(row.output !== undefined ? { [SPAN_ATTRS.outputs]: row.output } : {}),
      ...(run.linkedPrompt ? { [SPAN_ATTRS.linkedPrompts]: [{ name: run.linkedPrompt.name, version: String(run.linkedPrompt.version) }] } : {}),
    },
    status: err ? { code: 'ERROR', message: `${err.kind}: ${err.message}` } : { code: 'OK' },
    events: err ? [errorEvent(t.endMs, err.kind, err.message)] : [],
  });

  spans.push({
    spanId: id('render'),
    parentId: rootId,
    name: 'render prompt',
    startMs: t.startMs,
    endMs: t.startMs,
    attributes: {
      [SPAN_ATTRS.requestId]: requestId,
      [SPAN_ATTRS.spanType]: SPAN_TYPES.render,
      [SPAN_ATTRS.inputs]: toAttr({ prompt: run.promptName, path: run.promptPath, variables: row.vars }),
      ...(input.messages ? { [SPAN_ATTRS.outputs]: toAttr(input.messages) } : {}),
    },
    status: renderFailed ? { code: 'ERROR', message: err!.message } : { code: 'OK' },
    events: renderFailed ? [errorEvent(t.startMs, err!.kind, err!.message)] : [],
  });
  if (renderFailed) return spans;

  const usage = row.inputTokens !== undefined || row.outputTokens !== undefined
    ? { input_tokens: row.inputTokens ?? 0, output_tokens: row.outputTokens ?? 0, total_tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0) }
    : undefined;
  spans.push({
    spanId: id('model'),
    parentId: rootId,
    name: run.modelLabel,
    startMs: t.modelStartMs,
    endMs: t.modelEndMs,
    attributes: {
      [SPAN_ATTRS.requestId]: requestId,
      [SPAN_ATTRS.spanType]: SPAN_TYPES.model,
      [SPAN_ATTRS.inputs]: toAttr({ model: run.modelName, messages: input.messages, ...(run.params ?? {}) }),
      ...(row.output !== undefined ? { [SPAN_ATTRS.outputs]: toAttr({ role: 'assistant', content: row.output }) } : {}),
      [SPAN_ATTRS.model]: run.modelName,
      [SPAN_ATTRS.provider]: run.provider,
      ...(usage ? { [SPAN_ATTRS.tokenUsage]: usage } : {}),
      ...(row.costUsd !== undefined ? { [SPAN_ATTRS.cost]: { total_cost: row.costUsd } } : {}),
      ...(row.latencyMs !== undefined ? { [SPAN_ATTRS.latencyMs]: row.latencyMs } : {}),
      [SPAN_ATTRS.cached]: !!row.cached,
    },
    status: modelFailed ? { code: 'ERROR', message: `${err!.kind}: ${err!.message}` } : { code: 'OK' },
    events: modelFailed ? [errorEvent(t.modelEndMs, err!.kind, err!.message)] : [],
  });

  row.scores.forEach((s, i) => {
    spans.push({
      spanId: id(`scorer:${i}`),
      parentId: rootId,
      name: s.name,
      startMs: t.modelEndMs,
      endMs: t.endMs,
      attributes: {
        [SPAN_ATTRS.requestId]: requestId,
        [SPAN_ATTRS.spanType]: SPAN_TYPES.scorer,
        [SPAN_ATTRS.inputs]: toAttr({ outputs: row.output, expectations: row.expected }),
        [SPAN_ATTRS.outputs]: toAttr({ value: s.score, pass: s.pass, rationale: s.reason }),
        [SPAN_ATTRS.scorerSource]: s.source,
      },
      status: { code: 'OK' },
      events: [],
    });
  });
  return spans;
}
