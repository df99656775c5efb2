// Sweep panel: what the sweep searched and found (the best trial and its YAML), the objective
// against each parameter, the Pareto front of quality against cost, and the trial table (sortable;
// a row opens its run, "Compare" opens it against the best). Every string from a run is text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { sweepToWebviewSchema, type SweepReportWire, type SweepResults, type SweepToHost, type SweepToWebview, type SweepTrialWire } from '../../src/protocol/sweepProtocol';
import { append, clear, el, formatNumber } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { shareNonceWithLit, vscodeApi } from '../shared/vscodeApi';
import { choiceBars, dotChart, type Dot } from './sweepCharts';

interface SavedState { report: SweepReportWire; parentRunId: string; running: boolean; sort: string; desc: boolean }

/** The table shows at most this many trials (best first by default); the report keeps them all. */
const MAX_ROWS = 1000;

shareNonceWithLit();
const api = vscodeApi<SavedState>();
const app = document.getElementById('app')!;
const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
const sections = {
  head: el('section', { id: 'summary', 'aria-label': 'Sweep summary' }),
  charts: el('section', { id: 'charts', 'aria-label': 'Charts' }),
  trials: el('section', { id: 'trials', 'aria-label': 'Trials' }),
};
append(app, [status, sections.head, sections.charts, sections.trials]);

let state: SavedState | undefined;
const client = new HostClient<SweepToWebview, SweepToHost, SweepResults>(api as never, sweepToWebviewSchema, onNotification, (err) => showStatus(err, true));

function onNotification(msg: SweepToWebview): void {
  if (msg.type === 'init' || msg.type === 'update') {
    state = { sort: state?.sort ?? 'rank', desc: state?.desc ?? false, ...state, report: msg.report, parentRunId: msg.parentRunId, running: msg.running };
    api.setState(state);
    render();
  } else if (msg.type === 'error') {
    showStatus(msg.message, true);
  }
}

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const fmt = (v: number | undefined | null) => formatNumber(v ?? null);
const paramText = (t: SweepTrialWire) => Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(', ');

function render(): void {
  if (!state) return;
  const r = state.report;
  app.dataset.trials = String(r.trials.length);
  app.dataset.running = String(state.running);
  showStatus(state.running ? `Running… ${r.trials.length} trials finished` : `${r.trials.length} trials`);
  renderHead(r);
  renderCharts(r);
  renderTrials(r);
}

function renderHead(r: SweepReportWire): void {
  clear(sections.head);
  const best = r.trials.find((t) => t.number === r.best);
  const copy = el('vscode-button', { id: 'copy-yaml', disabled: !r.bestYaml }, 'Copy best config');
  copy.addEventListener('click', () => client.post({ type: 'copyYaml' }));
  append(sections.head, [
    el('h1', {}, `Sweep · ${r.suite}`),
    el('p', { class: 'muted' }, `${r.method}${r.method === 'grid' ? '' : ` (seed ${r.seed})`} over ${r.parameters.map((p) => p.name).join(', ')} · ${r.objective.direction} ${r.objective.metric}${r.constraints.length ? ` subject to ${r.constraints.join(', ')}` : ''}`),
    best
      ? el('div', { class: 'card', id: 'best' },
        el('h2', {}, `Best: trial ${best.number} — ${r.objective.metric} ${fmt(best.value)}${best.feasible ? '' : ' (no trial met the constraints)'}`),
        el('p', {}, paramText(best)),
        r.bestYaml ? el('pre', { class: 'mono', id: 'best-yaml' }, r.bestYaml) : null,
        el('div', { class: 'toolbar' }, copy))
      : el('p', { class: 'muted' }, 'No trial has produced the objective yet.'),
  ]);
}

function renderCharts(r: SweepReportWire): void {
  clear(sections.charts);
  const scored = r.trials.filter((t) => t.value !== undefined);
  const boxes: HTMLElement[] = [];
  for (const p of r.parameters) {
    const numeric = scored.every((t) => typeof t.params[p.name] === 'number');
    const caption = `${r.objective.metric} against ${p.name}`;
    let chart: SVGElement;
    if (numeric) {
      const dots: Dot[] = scored.map((t) => ({ x: t.params[p.name] as number, y: t.value!, series: t.feasible ? 0 : 3, ring: t.number === r.best, label: `trial ${t.number}: ${paramText(t)} → ${fmt(t.value)}` }));
      chart = dotChart(caption, p.name, r.objective.metric, dots, (v) => formatNumber(v), (v) => formatNumber(v));
    } else {
      const choices = [...new Set(scored.map((t) => String(t.params[p.name])))];
      const pick = (xs: number[]) => (xs.length ? (r.objective.direction === 'maximize' ? Math.max(...xs) : Math.min(...xs)) : null);
      const bestChoice = String(r.trials.find((t) => t.number === r.best)?.params[p.name]);
      chart = choiceBars(caption, choices.map((c) => ({ label: c, value: pick(scored.filter((t) => String(t.params[p.name]) === c).map((t) => t.value!)), best: c === bestChoice })), (v) => formatNumber(v));
    }
    boxes.push(el('figure', { class: 'chart-box', 'data-chart': `param-${p.name}` }, el('figcaption', {}, caption), chart));
  }
  // Pareto front: quality against cost.
  const withCost = scored.filter((t) => t.metrics[r.costMetric] !== undefined);
  const onFront = new Set(r.pareto);
  const dots: Dot[] = withCost.map((t) => ({
    x: t.metrics[r.costMetric], y: t.value!, series: onFront.has(t.number) ? 1 : t.feasible ? 0 : 3, ring: t.number === r.best,
    label: `trial ${t.number}: ${paramText(t)} → ${r.objective.metric} ${fmt(t.value)}, ${r.costMetric} ${fmt(t.metrics[r.costMetric])}${onFront.has(t.number) ? ' (Pareto front)' : ''}`,
  }));
  const front = r.pareto.map((n) => dots[withCost.findIndex((t) => t.number === n)]).filter(Boolean);
  boxes.push(el('figure', { class: 'chart-box', 'data-chart': 'pareto' },
    el('figcaption', {}, `Pareto front: ${r.objective.metric} against ${r.costMetric} (${r.pareto.length} trials on the front)`),
    dotChart(`Pareto front of ${r.objective.metric} against ${r.costMetric}`, r.costMetric, r.objective.metric, dots, (v) => formatNumber(v), (v) => formatNumber(v), front)));
  append(sections.charts, [el('h2', {}, 'Charts'), el('div', { class: 'charts' }, ...boxes)]);
}

function rankOrder(r: SweepReportWire): SweepTrialWire[] {
  const sign = r.objective.direction === 'maximize' ? -1 : 1;
  const tier = (t: SweepTrialWire) => (t.value === undefined ? 2 : t.feasible ? 0 : 1);
  return [...r.trials].sort((a, b) => tier(a) - tier(b) || sign * ((a.value ?? 0) - (b.value ?? 0)) || a.number - b.number);
}

function renderTrials(r: SweepReportWire): void {
  const s = state!;
  clear(sections.trials);
  const names = r.parameters.map((p) => p.name);
  const metricCols = [...new Set([r.objective.metric, r.costMetric, 'latency_ms/p95'])];
  const cols = ['#', ...names, ...metricCols, 'status'];
  let rows = s.sort === 'rank' ? rankOrder(r) : [...r.trials].sort((a, b) => cmp(cellValue(a, s.sort, names), cellValue(b, s.sort, names)) * (s.desc ? -1 : 1));
  rows = rows.slice(0, MAX_ROWS);
  const head = el('tr', {}, ...cols.map((c) => {
    const th = el('th', { scope: 'col', 'aria-sort': s.sort === c ? (s.desc ? 'descending' : 'ascending') : 'none' }, c);
    th.addEventListener('click', () => {
      state = { ...s, sort: s.sort === c && s.desc ? 'rank' : c, desc: s.sort === c ? !s.desc : false };
      api.setState(state);
      renderTrials(r);
    });
    return th;
  }), el('th', {}, ''));
  const body = el('tbody', {}, ...rows.map((t) => {
    const cmpBtn = el('vscode-button', { secondary: true, disabled: !t.runId || t.number === r.best }, 'Compare with best');
    cmpBtn.addEventListener('click', (e) => { e.stopPropagation(); if (t.runId) client.post({ type: 'compareWithBest', runId: t.runId }); });
    const tr = el('tr', { class: [t.number === r.best ? 'best' : '', t.feasible ? '' : 'infeasible'].join(' ').trim(), 'data-trial': String(t.number), title: t.error ?? (t.violated.length ? `misses ${t.violated.join(', ')}` : '') },
      el('td', {}, String(t.number), t.number === r.best ? el('span', { class: 'best-mark', 'aria-label': 'best' }, ' ★') : null),
      ...names.map((n) => el('td', { class: 'mono' }, String(t.params[n] ?? ''))),
      ...metricCols.map((m) => el('td', { class: 'num' }, m === r.objective.metric ? fmt(t.value) : fmt(t.metrics[m]))),
      el('td', {}, t.feasible ? t.status.toLowerCase() : t.value === undefined ? t.status.toLowerCase() : 'misses constraints'),
      el('td', {}, cmpBtn));
    if (t.runId) tr.addEventListener('click', () => client.post({ type: 'openRun', runId: t.runId! }));
    return tr;
  }));
  append(sections.trials, [
    el('h2', {}, `Trials (${r.trials.length})`),
    el('table', { class: 'grid', id: 'trial-table' }, el('thead', {}, head), body),
  ]);
}

function cellValue(t: SweepTrialWire, col: string, names: string[]): number | string {
  if (col === '#') return t.number;
  if (names.includes(col)) return typeof t.params[col] === 'number' ? t.params[col] as number : String(t.params[col]);
  if (col === 'status') return t.status;
  if (col === state!.report.objective.metric) return t.value ?? -Infinity;
  return t.metrics[col] ?? -Infinity;
}

function cmp(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

const saved = api.getState();
if (saved?.report) {
  state = saved;
  render();
  client.post({ type: 'ready', restored: true });
} else {
  client.post({ type: 'ready' });
}
