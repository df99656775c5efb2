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

/** One span: the attributes every span carries (request id, type, inputs, outputs) and, on failure, ERROR with the exception event. */
interface SpanSpec {
  key: string;
  parentId?: string;
  name: string;
  startMs: number;
  endMs: number;
  type: string;
  inputs: AttrValue;
  outputs?: AttrValue;
  attributes?: Record<string, AttrValue>;
  failure?: { kind: string; message: string; status: string; atMs: number };
}

export function buildCaseSpans(run: CaseTraceRun, input: CaseTraceInput, otelTraceId: string, requestId: string, now?: number): SpanRecord[] {
  const { row } = input;
  const t = caseTiming(input, now);
  const id = (key: string) => makeSpanId(otelTraceId, key);
  const rootId = id('root');
  const err = row.error;
  const renderFailed = err?.kind === 'render';
  const modelFailed = !!err && !renderFailed;
  const span = (x: SpanSpec): SpanRecord => ({
    spanId: id(x.key),
    ...(x.parentId ? { parentId: x.parentId } : {}),
    name: x.name,
    startMs: x.startMs,
    endMs: x.endMs,
    attributes: {
      [SPAN_ATTRS.requestId]: requestId,
      [SPAN_ATTRS.spanType]: x.type,
      [SPAN_ATTRS.inputs]: x.inputs,
      ...(x.outputs !== undefined ? { [SPAN_ATTRS.outputs]: x.outputs } : {}),
      ...x.attributes,
    },
    status: x.failure ? { code: 'ERROR', message: x.failure.status } : { code: 'OK' },
    events: x.failure ? [errorEvent(x.failure.atMs, x.failure.kind, x.failure.message)] : [],
  });

  const spans: SpanRecord[] = [
    span({
      key: 'root', name: run.promptName, startMs: t.startMs, endMs: t.endMs, type: SPAN_TYPES.case,
      inputs: toAttr(row.vars), outputs: row.output,
      attributes: run.linkedPrompt ? { [SPAN_ATTRS.linkedPrompts]: [{ name: run.linkedPrompt.name, version: String(run.linkedPrompt.version) }] } : {},
      failure: err ? { kind: err.kind, message: err.message, status: `${err.kind}: ${err.message}`, atMs: t.endMs } : undefined,
    }),
    span({
      key: 'render', parentId: rootId, name: 'render prompt', startMs: t.startMs, endMs: t.startMs, type: SPAN_TYPES.render,
      inputs: toAttr({ prompt: run.promptName, path: run.promptPath, variables: row.vars }),
      outputs: input.messages ? toAttr(input.messages) : undefined,
      failure: renderFailed ? { kind: err!.kind, message: err!.message, status: err!.message, atMs: t.startMs } : undefined,
    }),
  ];
  if (renderFailed) return spans;

  const usage = row.inputTokens !== undefined || row.outputTokens !== undefined
    ? { input_tokens: row.inputTokens ?? 0, output_tokens: row.outputTokens ?? 0, total_tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0) }
    : undefined;
  spans.push(span({
    key: 'model', parentId: rootId, name: run.modelLabel, startMs: t.modelStartMs, endMs: t.modelEndMs, type: SPAN_TYPES.model,
    inputs: toAttr({ model: run.modelName, messages: input.messages, ...(run.params ?? {}) }),
    outputs: row.output !== undefined ? toAttr({ role: 'assistant', content: row.output }) : undefined,
    attributes: {
      [SPAN_ATTRS.model]: run.modelName,
      [SPAN_ATTRS.provider]: run.provider,
      ...(usage ? { [SPAN_ATTRS.tokenUsage]: usage } : {}),
      ...(row.costUsd !== undefined ? { [SPAN_ATTRS.cost]: { total_cost: row.costUsd } } : {}),
      ...(row.latencyMs !== undefined ? { [SPAN_ATTRS.latencyMs]: row.latencyMs } : {}),
      [SPAN_ATTRS.cached]: !!row.cached,
    },
    failure: modelFailed ? { kind: err!.kind, message: err!.message, status: `${err!.kind}: ${err!.message}`, atMs: t.modelEndMs } : undefined,
  }));

  row.scores.forEach((s, i) => spans.push(span({
    key: `scorer:${i}`, parentId: rootId, name: s.name, startMs: t.modelEndMs, endMs: t.endMs, type: SPAN_TYPES.scorer,
    inputs: toAttr({ outputs: row.output, expectations: row.expected }),
    outputs: toAttr({ value: s.score, pass: s.pass, rationale: s.reason }),
    attributes: { [SPAN_ATTRS.scorerSource]: s.source },
  })));
  return spans;
}
