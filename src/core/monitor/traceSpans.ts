// A trace's spans as a tree for display: name, type, start offset and duration (ms), status, and
// inputs/outputs as text. MLflow stores span attributes as JSON strings (mlflow.spanInputs = '"…"').
import { SPAN_ATTRS } from '../tracking/traces/traceKeys';
import type { RawSpan } from './traceSearch';

export interface SpanNode {
  spanId: string;
  name: string;
  spanType: string;
  startOffsetMs: number;
  durationMs: number;
  status: 'OK' | 'ERROR' | 'UNSET';
  statusMessage?: string;
  inputs: string;
  outputs: string;
  children: SpanNode[];
}

const MAX_TEXT = 20_000;

function nanos(v: string | number | undefined): bigint {
  if (v === undefined || v === '') return 0n;
  try { return BigInt(typeof v === 'number' ? Math.trunc(v) : v); } catch { return 0n; }
}

/** An attribute as readable text: JSON strings unwrapped once, objects pretty-printed. */
export function attributeText(v: unknown): string {
  if (v === undefined || v === null) return '';
  let value: unknown = v;
  if (typeof v === 'string') {
    try { value = JSON.parse(v); } catch { value = v; }
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}

function statusOf(s: RawSpan['status']): SpanNode['status'] {
  const c = s?.code ?? '';
  if (c.includes('ERROR')) return 'ERROR';
  if (c.includes('OK')) return 'OK';
  return 'UNSET';
}

/** Roots (spans without a known parent) with their children, each level in start order. */
export function spanTree(spans: readonly RawSpan[]): SpanNode[] {
  const t0 = spans.reduce((m, s) => { const v = nanos(s.start_time_unix_nano); return m === 0n || (v > 0n && v < m) ? v : m; }, 0n);
  const nodes = new Map<string, { node: SpanNode; parent: string; start: bigint }>();
  spans.forEach((s, i) => {
    const start = nanos(s.start_time_unix_nano);
    const end = nanos(s.end_time_unix_nano);
    const attrs = s.attributes;
    const id = s.span_id || `#${i}`;
    nodes.set(id, {
      parent: s.parent_span_id ?? '',
      start,
      node: {
        spanId: id,
        name: s.name ?? '(unnamed)',
        spanType: attributeText(attrs[SPAN_ATTRS.spanType]) || 'UNKNOWN',
        startOffsetMs: Number(start - t0) / 1e6,
        durationMs: end > start ? Number(end - start) / 1e6 : 0,
        status: statusOf(s.status),
        statusMessage: s.status?.message || undefined,
        inputs: attributeText(attrs[SPAN_ATTRS.inputs]),
        outputs: attributeText(attrs[SPAN_ATTRS.outputs]),
        children: [],
      },
    });
  });
  const roots: { node: SpanNode; start: bigint }[] = [];
  const kids = new Map<string, { node: SpanNode; start: bigint }[]>();
  for (const n of nodes.values()) {
    if (n.parent && nodes.has(n.parent)) kids.set(n.parent, [...(kids.get(n.parent) ?? []), n]);
    else roots.push(n);
  }
  const byStart = (a: { start: bigint }, b: { start: bigint }) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
  for (const [id, list] of kids) nodes.get(id)!.node.children = list.sort(byStart).map((x) => x.node);
  return roots.sort(byStart).map((x) => x.node);
}
