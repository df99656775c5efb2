// Compare panel: params, metrics with deltas, charts, prompt diff and a virtualized per-case
// table. Every string from a run (outputs, inputs, names) is rendered as text, never as HTML.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import {
  compareToWebviewSchema, loadCaseDetailResultSchema, loadCasesResultSchema, setBaselineResultSchema,
  type CaseCellWire, type CaseRowWire, type CompareToWebview, type ComparisonModelWire,
} from '../../src/protocol/compareProtocol';
import { barChart, histogram, scatter } from '../shared/charts';
import { append, clear, el, formatDelta, formatNumber } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { VirtualTable } from '../shared/virtualTable';
import { renderSignificance } from './significanceSection';
import { showCaseTrace } from './caseTraceView';
import { shareNonceWithLit, vscodeApi } from '../shared/vscodeApi';

type Filter = 'all' | 'changed' | 'failing';
interface UiState { filter: Filter; search: string; sort: string; onlyDiffParams: boolean; chartMetric: string; scrollTop: number }
interface SavedState { model: ComparisonModelWire; totalCases: number; ui: UiState }

const PAGE = 500;
const ROW_HEIGHT = 88;

const perf = { initAt: 0, firstPaint: 0, fullReady: 0 };
(window as unknown as { __plPerf: typeof perf }).__plPerf = perf;

shareNonceWithLit();
const api = vscodeApi<SavedState>();
const app = document.getElementById('app')!;
const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });

let model: ComparisonModelWire | undefined;
let totalCases = 0;
let rows: CaseRowWire[] = [];
let ui: UiState = { filter: 'all', search: '', sort: 'order', onlyDiffParams: false, chartMetric: '', scrollTop: 0 };
let table: VirtualTable<CaseRowWire> | undefined;
let loadGeneration = 0;
let firstPaintPending = false;

// Timing marks for bench/comparePanel.ts: init receipt (before validation), first rows painted, all rows loaded.
window.addEventListener('message', (e: MessageEvent) => {
  const t = (e.data as { type?: unknown } | null)?.type;
  if (t === 'init' || t === 'update') { perf.initAt = performance.now(); perf.firstPaint = 0; perf.fullReady = 0; }
});
const client = new HostClient<CompareToWebview>(api as never, compareToWebviewSchema, onNotification, (err) => showStatus(err, true));

function onNotification(msg: CompareToWebview): void {
  if (msg.type === 'init' || msg.type === 'update') {
    model = msg.model;
    totalCases = msg.totalCases;
    rows = msg.model.cases.slice();
    if (!ui.chartMetric || !model.metrics.some((m) => m.key === ui.chartMetric)) ui.chartMetric = model.metrics[0]?.key ?? '';
    renderAll();
    void loadRemaining();
  } else if (msg.type === 'error') {
    showStatus(msg.message, true);
  }
}

function save(): void {
  if (model) api.setState({ model, totalCases, ui });
}

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function loadRemaining(): Promise<void> {
  const gen = ++loadGeneration;
  app.dataset.casesReady = 'false';
  while (rows.length < totalCases && gen === loadGeneration) {
    showStatus(`Loading cases ${rows.length} / ${totalCases}…`);
    try {
      const page = await client.request({ type: 'loadCases', offset: rows.length, limit: PAGE }, loadCasesResultSchema);
      if (gen !== loadGeneration) return;
      if (page.rows.length === 0) break;
      rows.push(...page.rows);
      refreshCases();
    } catch (e) {
      showStatus(`Could not load cases: ${(e as Error).message}`, true);
      return;
    }
  }
  if (gen !== loadGeneration) return;
  showStatus(`${totalCases} cases`);
  app.dataset.casesReady = 'true';
  perf.fullReady = performance.now();
}

// ---------- layout ----------

const sections = {
  runs: el('section', { id: 'runs', 'aria-label': 'Runs' }),
  params: el('section', { id: 'params', 'aria-label': 'Parameters' }),
  metrics: el('section', { id: 'metrics', 'aria-label': 'Metrics' }),
  significance: el('section', { id: 'significance', 'aria-label': 'Significance' }),
  charts: el('section', { id: 'charts', 'aria-label': 'Charts' }),
  prompt: el('section', { id: 'prompt', 'aria-label': 'Prompt diff' }),
  cases: el('section', { id: 'cases', 'aria-label': 'Cases' }),
  detail: el('section', { id: 'detail', 'aria-label': 'Case detail', hidden: true }),
};
append(app, [el('h1', {}, 'Compare runs'), status, ...Object.values(sections)]);

function renderAll(): void {
  if (!model) return;
  renderRuns(model);
  renderParams(model);
  renderMetrics(model);
  renderSignificance(sections.significance, model);
  renderCharts(model);
  renderPrompt(model);
  renderCasesShell(model);
  save();
}

const runLabel = (i: number) => model!.runs[i].runName;

function renderRuns(m: ComparisonModelWire): void {
  clear(sections.runs);
  const list = el('ol', { class: 'run-list' });
  m.runs.forEach((r, i) => {
    const open = el('vscode-button', { secondary: true, 'data-action': 'open-run' }, 'Open');
    open.addEventListener('click', () => client.post({ type: 'openRun', runId: r.runId }));
    const base = el('vscode-button', { secondary: true, disabled: r.isBaseline, 'data-action': 'set-baseline' }, r.isBaseline ? 'Baseline' : 'Set as baseline');
    base.addEventListener('click', () => {
      if (r.isBaseline) return;
      showStatus(`Recomputing deltas against ${r.runName}…`);
      client.request({ type: 'setBaseline', runId: r.runId }, setBaselineResultSchema).catch((e) => showStatus((e as Error).message, true));
    });
    list.appendChild(el('li', { class: `run series-${i % 10}` },
      el('span', { class: 'swatch', 'aria-hidden': 'true' }), el('strong', {}, r.runName), ' ',
      el('span', { class: 'muted' }, `${r.status} · ${new Date(r.startTime).toLocaleString()} · ${r.runId.slice(0, 8)}`), ' ', base, ' ', open));
  });
  append(sections.runs, [el('h2', {}, `Runs (${m.runs.length})`), list]);
}

function headerRow(m: ComparisonModelWire, first: string): HTMLTableRowElement {
  return el('tr', {}, el('th', { scope: 'col' }, first), ...m.runs.map((r, i) => el('th', { scope: 'col', class: r.isBaseline ? 'baseline' : '' }, runLabel(i), r.isBaseline ? ' (baseline)' : '')));
}

function renderParams(m: ComparisonModelWire): void {
  clear(sections.params);
  const toggle = el('vscode-checkbox', { id: 'only-diff', checked: ui.onlyDiffParams }, 'Only differences');
  toggle.addEventListener('change', () => { ui.onlyDiffParams = (toggle as unknown as { checked: boolean }).checked; renderParams(m); save(); });
  const body = el('tbody');
  for (const p of m.params) {
    if (ui.onlyDiffParams && !p.differs) continue;
    body.appendChild(el('tr', { class: p.differs ? 'differs' : '' }, el('th', { scope: 'row' }, p.differs ? `≠ ${p.key}` : p.key), ...p.values.map((v) => el('td', {}, v ?? '—'))));
  }
  const diffCount = m.params.filter((p) => p.differs).length;
  append(sections.params, [el('h2', {}, `Parameters (${diffCount} differ)`), toggle,
    el('table', { class: 'grid', id: 'params-table' }, el('thead', {}, headerRow(m, 'Param')), body)]);
}

const DIR_GLYPH = { higher: '↑', lower: '↓', neutral: '' } as const;

function renderMetrics(m: ComparisonModelWire): void {
  clear(sections.metrics);
  const body = el('tbody');
  for (const row of m.metrics) {
    const cells = row.values.map((v, i) => {
      const vs = row.vsBaseline[i];
      const isBest = row.best.includes(i);
      const td = el('td', { class: [vs && !m.runs[i].isBaseline ? vs : '', isBest ? 'best' : ''].join(' ').trim() },
        el('span', { class: 'value' }, formatNumber(v)),
        isBest ? el('span', { class: 'best-mark', title: 'best value' }, ' ★') : null,
        !m.runs[i].isBaseline && row.deltas[i] !== null ? el('span', { class: 'delta' }, ` ${formatDelta(row.deltas[i], row.relDeltas[i])}`) : null,
        vs === 'better' && !m.runs[i].isBaseline ? el('span', { class: 'sr-only' }, ' better than baseline') : null,
        vs === 'worse' && !m.runs[i].isBaseline ? el('span', { class: 'sr-only' }, ' worse than baseline') : null);
      return td;
    });
    body.appendChild(el('tr', { 'data-metric': row.key },
      el('th', { scope: 'row', title: row.direction === 'neutral' ? 'no better direction' : `${row.direction} is better` }, row.key, ' ', el('span', { class: 'dir' }, DIR_GLYPH[row.direction])), ...cells));
  }
  append(sections.metrics, [el('h2', {}, 'Metrics'), el('p', { class: 'muted legend' }, '↑ higher is better · ↓ lower is better · ★ best · deltas vs baseline'),
    el('table', { class: 'grid', id: 'metrics-table' }, el('thead', {}, headerRow(m, 'Metric')), body)]);
}

function renderCharts(m: ComparisonModelWire): void {
  clear(sections.charts);
  const pick = el('select', { id: 'chart-metric', 'aria-label': 'Metric for the bar chart' });
  for (const row of m.metrics) {
    const opt = el('option', {}, row.key);
    opt.value = row.key;
    opt.selected = row.key === ui.chartMetric;
    pick.appendChild(opt);
  }
  const barsHost = el('div', { class: 'chart-box' });
  const drawBars = () => {
    clear(barsHost);
    const row = m.metrics.find((r) => r.key === ui.chartMetric);
    if (!row) return;
    barsHost.appendChild(barChart(`${row.key} per run`, row.values.map((v, i) => ({ label: runLabel(i), value: v, series: i, mark: row.best.includes(i) ? '★' : undefined })), (v) => formatNumber(v)));
  };
  pick.addEventListener('change', () => { ui.chartMetric = pick.value; drawBars(); save(); });
  drawBars();
  const boxes: HTMLElement[] = [el('figure', { class: 'chart-box' }, el('figcaption', {}, 'Metric per run ', pick), barsHost)];
  const lat = m.charts.latency;
  if (lat) {
    boxes.push(el('figure', { class: 'chart-box' }, el('figcaption', {}, 'Latency distribution (ms)'),
      histogram('Latency distribution per run', lat.edges, lat.counts.map((counts, i) => ({ label: runLabel(i), series: i, counts })), (v) => `${formatNumber(v, 0)} ms`)));
  }
  const sc = m.charts.scatter;
  const pts = sc.points.flatMap((p) => (p.cost === null || p.quality === null ? [] : [{ label: runLabel(p.runIndex), series: p.runIndex, x: p.cost, y: p.quality }]));
  if (pts.length) {
    boxes.push(el('figure', { class: 'chart-box' }, el('figcaption', {}, `Cost vs quality`),
      scatter('Cost versus quality per run', sc.costMetric, sc.qualityMetric, pts, (v) => formatNumber(v, 4), (v) => formatNumber(v))));
  }
  append(sections.charts, [el('h2', {}, 'Charts'), el('div', { class: 'charts' }, ...boxes)]);
}

function renderPrompt(m: ComparisonModelWire): void {
  clear(sections.prompt);
  sections.prompt.appendChild(el('h2', {}, 'Prompt'));
  if (m.promptDiffs.length === 0) {
    const only = m.prompts[m.baselineIndex];
    sections.prompt.appendChild(only === null ? el('p', { class: 'muted' }, 'No prompt text recorded.') : el('pre', { class: 'prompt' }, only));
    return;
  }
  for (const d of m.promptDiffs) {
    const title = `${runLabel(m.baselineIndex)} → ${runLabel(d.runIndex)}`;
    if (d.missing) { sections.prompt.appendChild(el('p', { class: 'muted' }, `${title}: prompt text not recorded on one side.`)); continue; }
    if (d.identical) { sections.prompt.appendChild(el('p', { class: 'muted' }, `${title}: identical prompt text.`)); continue; }
    const pre = el('pre', { class: 'diff', 'aria-label': `Prompt diff ${title}` });
    for (const l of d.lines) {
      const sign = l.op === 'insert' ? '+' : l.op === 'delete' ? '-' : ' ';
      pre.appendChild(el('div', { class: `diff-line ${l.op}` },
        el('span', { class: 'ln' }, l.oldLine ?? ''), el('span', { class: 'ln' }, l.newLine ?? ''), el('span', { class: 'sign' }, sign), l.text));
    }
    append(sections.prompt, [el('h3', {}, title), pre]);
  }
}

// ---------- cases ----------

let casesBody: HTMLElement;
let casesViewport: HTMLElement;
let countLabel: HTMLElement;

function gridColumns(m: ComparisonModelWire): string {
  return `48px 120px 220px 180px ${m.runs.map(() => '280px').join(' ')}`;
}

function renderCasesShell(m: ComparisonModelWire): void {
  clear(sections.cases);
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filter cases' });
  for (const f of ['all', 'changed', 'failing'] as Filter[]) {
    const b = el('vscode-button', { id: `filter-${f}`, secondary: ui.filter !== f, 'aria-pressed': String(ui.filter === f) }, f === 'all' ? 'All' : f === 'changed' ? 'Changed' : 'Failing');
    b.addEventListener('click', () => { ui.filter = f; for (const x of filters.children) { const on = x.id === `filter-${f}`; x.toggleAttribute('secondary', !on); x.setAttribute('aria-pressed', String(on)); } refreshCases(true); });
    filters.appendChild(b);
  }
  const search = el('input', { id: 'case-search', type: 'search', placeholder: 'Search inputs, outputs, ids…', 'aria-label': 'Search cases' });
  search.value = ui.search;
  let timer = 0;
  search.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(() => { ui.search = search.value; refreshCases(true); }, 120); });
  const sort = el('select', { id: 'case-sort', 'aria-label': 'Sort cases' });
  const options: [string, string][] = [['order', 'Dataset order'], ['id', 'Case id'], ['failing', 'Failing first'], ['changed', 'Changed first'],
    ...m.runs.map((_, i): [string, string] => [`latency:${i}`, `Latency, slowest first — ${runLabel(i)}`]),
    ...m.scorerNames.flatMap((s) => m.runs.map((_, i): [string, string] => [`score:${i}:${s}`, `${s}, lowest first — ${runLabel(i)}`]))];
  for (const [value, label] of options) { const o = el('option', {}, label); o.value = value; o.selected = value === ui.sort; sort.appendChild(o); }
  sort.addEventListener('change', () => { ui.sort = sort.value; refreshCases(true); });
  countLabel = el('span', { id: 'case-count', class: 'muted' });

  const cols = gridColumns(m);
  const header = el('div', { class: 'vrow header', role: 'row', style: undefined },
    ...['#', 'Case', 'Inputs', 'Expected'].map((h) => el('div', { class: 'vcell', role: 'columnheader' }, h)),
    ...m.runs.map((r, i) => el('div', { class: `vcell run-head series-${i % 10}`, role: 'columnheader' }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), r.runName, r.isBaseline ? ' (baseline)' : '')));
  header.style.gridTemplateColumns = cols;
  casesBody = el('div', { class: 'vbody', id: 'case-rows' });
  casesViewport = el('div', { class: 'vviewport', id: 'case-viewport', 'aria-label': 'Cases; arrow keys move, Enter opens the full outputs' }, header, casesBody);
  table = new VirtualTable<CaseRowWire>({
    viewport: casesViewport,
    body: casesBody,
    rowHeight: ROW_HEIGHT,
    renderRow: (row, i) => renderCaseRow(row, i, cols),
    onActivate: (row) => void openDetail(row),
    onRender: () => {
      if (!firstPaintPending && !perf.firstPaint && perf.initAt) { firstPaintPending = true; requestAnimationFrame(() => { firstPaintPending = false; perf.firstPaint = performance.now(); }); }
      ui.scrollTop = casesViewport.scrollTop;
    },
  });
  append(sections.cases, [el('h2', {}, 'Cases'), el('div', { class: 'toolbar' }, filters, search, sort, countLabel), casesViewport]);
  refreshCases(false);
  if (ui.scrollTop) { casesViewport.scrollTop = ui.scrollTop; table.render(); }
}

function scoreText(s: Record<string, unknown>): string {
  return Object.entries(s).map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : String(v)}`).join(' · ');
}

function verdict(c: CaseCellWire): string {
  if (c.error !== null) return '⚠ error';
  if (c.pass === true) return '✓ pass';
  if (c.pass === false) return '✗ fail';
  return '';
}

function traceLink(row: CaseRowWire, runIndex: number): HTMLElement {
  const b = el('button', { class: 'trace-link', 'data-run': runIndex, title: `Show the trace of this case in ${runLabel(runIndex)}` }, 'Trace');
  b.addEventListener('click', (e) => { e.stopPropagation(); void openDetail(row, runIndex); });
  return b;
}

function renderCaseRow(row: CaseRowWire, i: number, cols: string): HTMLElement {
  const r = el('div', { class: `vrow${row.failing ? ' failing' : ''}${row.changed ? ' changed' : ''}`, 'data-key': row.key },
    el('div', { class: 'vcell num' }, i + 1),
    el('div', { class: 'vcell id' }, row.caseId ?? row.key.slice(0, 12), row.changed ? el('span', { class: 'tag' }, 'changed') : null),
    el('div', { class: 'vcell text' }, row.inputs),
    el('div', { class: 'vcell text' }, row.expected),
    ...row.cells.map((c, runIndex) => (c === null
      ? el('div', { class: 'vcell missing' }, 'not in this run')
      : el('div', { class: `vcell out${c.pass === false || c.error !== null ? ' fail' : ''}` },
        el('div', { class: 'meta' }, row.caseId !== null ? traceLink(row, runIndex) : null, verdict(c), c.latencyMs !== null ? ` · ${formatNumber(c.latencyMs, 0)} ms` : '', c.outputLength > c.output.length ? ` · ${c.outputLength.toLocaleString()} chars` : ''),
        el('div', { class: 'output' }, c.error !== null && !c.output ? c.error : c.output),
        el('div', { class: 'scores' }, scoreText(c.scores))))));
  r.style.gridTemplateColumns = cols;
  return r;
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

function refreshCases(userAction = false): void {
  if (!table || !model) return;
  const q = ui.search.trim().toLowerCase();
  const filtered = rows.filter((r) => (ui.filter === 'all' || (ui.filter === 'changed' ? r.changed : r.failing)) && matches(r, q));
  table.setItems(sortRows(filtered, ui.sort));
  countLabel.textContent = `${filtered.length} of ${totalCases} cases${rows.length < totalCases ? ` (${rows.length} loaded)` : ''}`;
  if (userAction) { casesViewport.scrollTop = 0; table.render(); save(); }
}

/** The detail pane: full inputs, expected and outputs; `traceRun` also loads that run's trace. */
async function openDetail(row: CaseRowWire, traceRun?: number): Promise<void> {
  const d = sections.detail;
  clear(d);
  d.hidden = false;
  const close = el('vscode-button', { id: 'detail-close', secondary: true }, 'Close');
  close.addEventListener('click', () => { d.hidden = true; casesViewport.focus(); });
  append(d, [el('h2', {}, `Case ${row.caseId ?? row.key}`), close, el('p', { class: 'muted' }, 'Loading full outputs…')]);
  try {
    const full = await client.request({ type: 'loadCaseDetail', key: row.key }, loadCaseDetailResultSchema);
    clear(d);
    append(d, [el('h2', {}, `Case ${row.caseId ?? row.key}`), close,
      el('h3', {}, 'Inputs'), el('pre', { class: 'detail-text' }, row.inputs),
      el('h3', {}, 'Expected'), el('pre', { class: 'detail-text' }, row.expected)]);
    full.cells.forEach((c, i) => {
      append(d, [el('h3', { class: `series-${i % 10}` }, runLabel(i), c ? ` — ${verdict(c)}` : ' — not in this run')]);
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
  } catch (e) {
    showStatus((e as Error).message, true);
  }
}

// ---------- start ----------

const saved = api.getState();
if (saved?.model) {
  ui = { ...ui, ...saved.ui };
  onNotification({ type: 'init', model: saved.model, totalCases: saved.totalCases });
  client.post({ type: 'ready', restored: true });
} else {
  client.post({ type: 'ready' });
}
