// The detail pane of one case: its whole inputs and expected value and every run's whole output,
// error and scores (fetched from the host: the table holds previews), each as text, with a
// "Show trace" per run; `traceRun` loads that run's trace at once (the row's Trace link).
import { loadCaseDetailResultSchema, type CaseRowWire, type ComparisonModelWire } from '../../src/protocol/compareProtocol';
import { append, clear, el } from '../shared/dom';
import { showCaseTrace } from './caseTraceView';
import { scoreText, verdict } from './casesSection';
import { runLabel, type CompareClient } from './compareState';

export async function renderCaseDetail(d: HTMLElement, client: CompareClient, m: ComparisonModelWire, row: CaseRowWire, onClose: () => void, traceRun?: number): Promise<void> {
  clear(d);
  d.hidden = false;
  const close = el('vscode-button', { id: 'detail-close', secondary: true }, 'Close');
  close.addEventListener('click', () => { d.hidden = true; onClose(); });
  const title = el('h2', {}, `Case ${row.caseId ?? row.key}`);
  append(d, [title, close, el('p', { class: 'muted' }, 'Loading the full case…')]);
  const full = await client.request({ type: 'loadCaseDetail', key: row.key }, loadCaseDetailResultSchema);
  clear(d);
  append(d, [title, close,
    el('h3', {}, 'Inputs'), el('pre', { class: 'detail-text inputs-full' }, full.inputs),
    el('h3', {}, 'Expected'), el('pre', { class: 'detail-text expected-full' }, full.expected)]);
  full.cells.forEach((c, i) => {
    append(d, [el('h3', { class: `series-${i % 10}` }, runLabel(m, i), c ? ` — ${verdict(c)}` : ' — not in this run')]);
    if (!c) return;
    if (c.error !== null) d.appendChild(el('pre', { class: 'detail-text error' }, c.error));
    append(d, [el('pre', { class: 'detail-text output-full', 'data-run': i }, c.output), el('p', { class: 'scores' }, scoreText(c.scores))]);
    if (row.caseId === null) return;
    const traceHost = el('div', { class: 'case-trace', 'data-run': i, hidden: true });
    const show = el('vscode-button', { secondary: true, class: 'show-trace', 'data-run': i }, 'Show trace');
    show.addEventListener('click', () => void showCaseTrace(client, traceHost, row.key, i));
    append(d, [show, traceHost]);
    if (i === traceRun) void showCaseTrace(client, traceHost, row.key, i);
  });
  if (traceRun !== undefined) d.scrollIntoView(); else close.focus();
}
