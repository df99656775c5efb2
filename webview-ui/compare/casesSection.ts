// The compare panel's case table: filter (radio group), search (text field), sort (single
// select), and a virtualized grid with a cell per run (verdict, latency, output preview, scores,
// a link to the case's trace). Every string from a run is set as text.
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { CaseCellWire, CaseRowWire, ComparisonModelWire } from '../../src/protocol/compareProtocol';
import { append, clear, el, formatMs, formatNumber } from '../shared/dom';
import { VirtualTable } from '../shared/virtualTable';
import { CASE_FILTERS, runLabel, type CaseFilter, type CompareActions, type CompareState } from './compareState';
import { singleSelect } from './overviewSections';

const ROW_HEIGHT = 88;
const FILTER_LABEL: Record<CaseFilter, string> = { all: 'All', changed: 'Changed', failing: 'Failing' };

export function scoreText(s: Record<string, unknown>): string {
  return Object.entries(s).map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : String(v)}`).join(' · ');
}

export function verdict(c: CaseCellWire): string {
  if (c.error !== null) return '⚠ error';
  if (c.pass === true) return '✓ pass';
  if (c.pass === false) return '✗ fail';
  return '';
}

/** The meta line of a cell: verdict, latency and the full output length when the preview is cut. */
function cellMeta(c: CaseCellWire): string {
  return [verdict(c), c.latencyMs !== null ? formatMs(c.latencyMs) : '', c.outputLength > c.output.length ? `${c.outputLength.toLocaleString()} chars` : '']
    .filter(Boolean).join(' · ');
}

function matches(row: CaseRowWire, q: string): boolean {
  if (!q) return true;
  if (row.inputs.toLowerCase().includes(q) || row.expected.toLowerCase().includes(q) || (row.caseId ?? '').toLowerCase().includes(q)) return true;
  return row.cells.some((c) => c !== null && (c.output.toLowerCase().includes(q) || (c.error ?? '').toLowerCase().includes(q)));
}

function sortRows(list: CaseRowWire[], sort: string): CaseRowWire[] {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : v === 'yes' ? 1 : v === 'no' ? 0 : NaN);
  const by = (f: (r: CaseRowWire) => number) => list.slice().sort((a, b) => { const x = f(a); const y = f(b); return (Number.isNaN(x) ? 1 : 0) - (Number.isNaN(y) ? 1 : 0) || (Number.isNaN(x) || Number.isNaN(y) ? 0 : x - y); });
  if (sort === 'id') return list.slice().sort((a, b) => (a.caseId ?? a.key).localeCompare(b.caseId ?? b.key, undefined, { numeric: true }));
  if (sort === 'failing') return by((r) => (r.failing ? 0 : 1));
  if (sort === 'changed') return by((r) => (r.changed ? 0 : 1));
  const lat = /^latency:(\d+)$/.exec(sort);
  if (lat) return by((r) => -(r.cells[Number(lat[1])]?.latencyMs ?? NaN));
  const sc = /^score:(\d+):(.+)$/.exec(sort);
  if (sc) return by((r) => num(r.cells[Number(sc[1])]?.scores[sc[2]]));
  return list;
}

/** The case section's DOM; one per model (rebuilt on init/update). */
export class CasesView {
  private readonly table: VirtualTable<CaseRowWire>;
  private readonly viewport: HTMLElement;
  private readonly count: HTMLElement;

  constructor(section: HTMLElement, private readonly state: CompareState, private readonly act: CompareActions, onRender?: () => void) {
    const m = state.model!;
    const ui = state.ui;
    clear(section);
    const filters = el('vscode-radio-group', { id: 'case-filter', 'aria-label': 'Filter cases' });
    for (const f of CASE_FILTERS) {
      const radio = el('vscode-radio', { id: `filter-${f}`, name: 'case-filter', value: f, checked: ui.filter === f }, FILTER_LABEL[f]);
      radio.addEventListener('change', () => { if ((radio as unknown as { checked: boolean }).checked) { ui.filter = f; this.refresh(true); } });
      filters.appendChild(radio);
    }
    const search = el('vscode-textfield', { id: 'case-search', type: 'search', placeholder: 'Search inputs, outputs, ids…', 'aria-label': 'Search cases' });
    (search as unknown as { value: string }).value = ui.search;
    let timer = 0;
    search.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(() => { ui.search = (search as unknown as { value: string }).value; this.refresh(true); }, 120); });
    const sortOptions: [string, string][] = [['order', 'Dataset order'], ['id', 'Case id'], ['failing', 'Failing first'], ['changed', 'Changed first'],
      ...m.runs.map((_, i): [string, string] => [`latency:${i}`, `Latency, slowest first — ${runLabel(m, i)}`]),
      ...m.scorerNames.flatMap((s) => m.runs.map((_, i): [string, string] => [`score:${i}:${s}`, `${s}, lowest first — ${runLabel(m, i)}`]))];
    const sort = singleSelect('case-sort', 'Sort cases', sortOptions, ui.sort, (v) => { ui.sort = v; this.refresh(true); });
    this.count = el('span', { id: 'case-count', class: 'muted' });

    const cols = `48px 120px 220px 180px ${m.runs.map(() => '280px').join(' ')}`;
    const header = el('div', { class: 'vrow header', role: 'row' },
      ...['#', 'Case', 'Inputs', 'Expected'].map((h) => el('div', { class: 'vcell', role: 'columnheader' }, h)),
      ...m.runs.map((r, i) => el('div', { class: `vcell run-head series-${i % 10}`, role: 'columnheader' }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), r.runName, r.isBaseline ? ' (baseline)' : '')));
    header.style.gridTemplateColumns = cols;
    const body = el('div', { class: 'vbody', id: 'case-rows' });
    this.viewport = el('div', { class: 'vviewport', id: 'case-viewport', 'aria-label': 'Cases; arrow keys move, Enter opens the full inputs and outputs' }, header, body);
    this.table = new VirtualTable<CaseRowWire>({
      viewport: this.viewport,
      body,
      rowHeight: ROW_HEIGHT,
      renderRow: (row, i) => this.renderRow(m, row, i, cols),
      onActivate: (row) => act.openDetail(row),
      onRender: () => { onRender?.(); ui.scrollTop = this.viewport.scrollTop; },
    });
    append(section, [el('h2', {}, 'Cases'), el('div', { class: 'toolbar' }, filters, search, sort, this.count), this.viewport]);
    this.refresh(false);
    if (ui.scrollTop) { this.viewport.scrollTop = ui.scrollTop; this.table.render(); }
  }

  focus(): void { this.viewport.focus(); }

  /** Re-filters and re-sorts the loaded rows; after a user's change, back to the top and saved. */
  refresh(userAction: boolean): void {
    const { ui, rows, totalCases } = this.state;
    const q = ui.search.trim().toLowerCase();
    const filtered = rows.filter((r) => (ui.filter === 'all' || (ui.filter === 'changed' ? r.changed : r.failing)) && matches(r, q));
    this.table.setItems(sortRows(filtered, ui.sort));
    this.count.textContent = `${filtered.length} of ${totalCases} cases${rows.length < totalCases ? ` (${rows.length} loaded)` : ''}`;
    if (userAction) { this.viewport.scrollTop = 0; this.table.render(); this.act.save(); }
  }

  private traceLink(m: ComparisonModelWire, row: CaseRowWire, runIndex: number): HTMLElement {
    const b = el('button', { class: 'trace-link', 'data-run': runIndex, title: `Show the trace of this case in ${runLabel(m, runIndex)}` }, 'Trace');
    b.addEventListener('click', (e) => { e.stopPropagation(); this.act.openDetail(row, runIndex); });
    return b;
  }

  private renderRow(m: ComparisonModelWire, row: CaseRowWire, i: number, cols: string): HTMLElement {
    const r = el('div', { class: `vrow${row.failing ? ' failing' : ''}${row.changed ? ' changed' : ''}`, 'data-key': row.key },
      el('div', { class: 'vcell num' }, i + 1),
      el('div', { class: 'vcell id' }, row.caseId ?? row.key.slice(0, 12), row.changed ? el('span', { class: 'tag' }, 'changed') : null),
      el('div', { class: 'vcell text' }, row.inputs),
      el('div', { class: 'vcell text' }, row.expected),
      ...row.cells.map((c, runIndex) => (c === null
        ? el('div', { class: 'vcell missing' }, 'not in this run')
        : el('div', { class: `vcell out${c.pass === false || c.error !== null ? ' fail' : ''}` },
          el('div', { class: 'meta' }, row.caseId !== null ? this.traceLink(m, row, runIndex) : null, cellMeta(c)),
          el('div', { class: 'output' }, c.error !== null && !c.output ? c.error : c.output),
          el('div', { class: 'scores' }, scoreText(c.scores))))));
    r.style.gridTemplateColumns = cols;
    return r;
  }
}
