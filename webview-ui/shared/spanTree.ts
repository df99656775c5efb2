// A trace's spans as a nested list: name, type, start offset and duration, status, and the
// span's inputs/outputs as text (never HTML). Used by every panel that shows a trace.
import type { SpanNodeWire } from '../../src/protocol/spanTreeProtocol';
import { el } from './dom';

export function spanTreeList(spans: readonly SpanNodeWire[]): HTMLElement {
  return el('ul', { class: 'span-tree' }, ...spans.map(spanItem));
}

function spanItem(s: SpanNodeWire): HTMLElement {
  const head = `${s.name} [${s.spanType}] +${s.startOffsetMs.toFixed(1)} ms, ${s.durationMs.toFixed(1)} ms${s.status === 'ERROR' ? ` — ERROR${s.statusMessage ? `: ${s.statusMessage}` : ''}` : ''}`;
  return el('li', { class: s.status === 'ERROR' ? 'span error' : 'span', 'data-span': s.name },
    el('details', { open: true }, el('summary', {}, head),
      s.inputs ? el('div', {}, el('strong', {}, 'Inputs'), el('pre', {}, s.inputs)) : null,
      s.outputs ? el('div', {}, el('strong', {}, 'Outputs'), el('pre', {}, s.outputs)) : null),
    s.children.length ? el('ul', {}, ...s.children.map(spanItem)) : null);
}
