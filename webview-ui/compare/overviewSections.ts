// The compare panel's upper sections, one render function each: runs, parameters, metrics,
// charts and the prompt diff. Each clears its section and draws it from the model and the UI state.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { ComparisonModelWire } from '../../src/protocol/compareProtocol';
import { barChart, histogram, scatter } from '../shared/charts';
import { append, clear, el, formatDelta, formatMs, formatNumber } from '../shared/dom';
import { runLabel, type CompareActions, type UiState } from './compareState';

export function renderRuns(section: HTMLElement, m: ComparisonModelWire, act: CompareActions): void {
  clear(section);
  const list = el('ol', { class: 'run-list' });
  m.runs.forEach((r, i) => {
    const open = el('vscode-button', { secondary: true, 'data-action': 'open-run' }, 'Open');
    open.addEventListener('click', () => act.openRun(r.runId));
    const base = el('vscode-button', { secondary: true, disabled: r.isBaseline, 'data-action': 'set-baseline' }, r.isBaseline ? 'Baseline' : 'Set as baseline');
    base.addEventListener('click', () => { if (!r.isBaseline) act.setBaseline(r.runId, r.runName); });
    list.appendChild(el('li', { class: `run series-${i % 10}` },
      el('span', { class: 'swatch', 'aria-hidden': 'true' }), el('strong', {}, r.runName), ' ',
      el('span', { class: 'muted' }, `${r.status} · ${new Date(r.startTime).toLocaleString()} · ${r.runId.slice(0, 8)}`), ' ', base, ' ', open));
  });
  append(section, [el('h2', {}, `Runs (${m.runs.length})`), list]);
}

function headerRow(m: ComparisonModelWire, first: string): HTMLTableRowElement {
  return el('tr', {}, el('th', { scope: 'col' }, first), ...m.runs.map((r, i) => el('th', { scope: 'col', class: r.isBaseline ? 'baseline' : '' }, runLabel(m, i), r.isBaseline ? ' (baseline)' : '')));
}

export function renderParams(section: HTMLElement, m: ComparisonModelWire, ui: UiState, act: CompareActions): void {
  clear(section);
  const toggle = el('vscode-checkbox', { id: 'only-diff', checked: ui.onlyDiffParams }, 'Only differences');
  toggle.addEventListener('change', () => { ui.onlyDiffParams = (toggle as unknown as { checked: boolean }).checked; renderParams(section, m, ui, act); act.save(); });
  const body = el('tbody');
  for (const p of m.params) {
    if (ui.onlyDiffParams && !p.differs) continue;
    body.appendChild(el('tr', { class: p.differs ? 'differs' : '' }, el('th', { scope: 'row' }, p.differs ? `≠ ${p.key}` : p.key), ...p.values.map((v) => el('td', {}, v ?? '—'))));
  }
  const diffCount = m.params.filter((p) => p.differs).length;
  append(section, [el('h2', {}, `Parameters (${diffCount} differ)`), toggle,
    el('table', { class: 'grid', id: 'params-table' }, el('thead', {}, headerRow(m, 'Param')), body)]);
}

const DIR_GLYPH = { higher: '↑', lower: '↓', neutral: '' } as const;

export function renderMetrics(section: HTMLElement, m: ComparisonModelWire): void {
  clear(section);
  const body = el('tbody');
  for (const row of m.metrics) {
    const cells = row.values.map((v, i) => {
      const vs = row.vsBaseline[i];
      const isBest = row.best.includes(i);
      const candidate = !m.runs[i].isBaseline;
      return el('td', { class: [vs && candidate ? vs : '', isBest ? 'best' : ''].join(' ').trim() },
        el('span', { class: 'value' }, formatNumber(v)),
        isBest ? el('span', { class: 'best-mark', title: 'best value' }, ' ★') : null,
        candidate && row.deltas[i] !== null ? el('span', { class: 'delta' }, ` ${formatDelta(row.deltas[i], row.relDeltas[i])}`) : null,
        vs === 'better' && candidate ? el('span', { class: 'sr-only' }, ' better than baseline') : null,
        vs === 'worse' && candidate ? el('span', { class: 'sr-only' }, ' worse than baseline') : null);
    });
    body.appendChild(el('tr', { 'data-metric': row.key },
      el('th', { scope: 'row', title: row.direction === 'neutral' ? 'no better direction' : `${row.direction} is better` }, row.key, ' ', el('span', { class: 'dir' }, DIR_GLYPH[row.direction])), ...cells));
  }
  append(section, [el('h2', {}, 'Metrics'), el('p', { class: 'muted legend' }, '↑ higher is better · ↓ lower is better · ★ best · deltas vs baseline'),
    el('table', { class: 'grid', id: 'metrics-table' }, el('thead', {}, headerRow(m, 'Metric')), body)]);
}

/** A vscode-single-select of [value, label] options; `onPick` gets the chosen value. */
export function singleSelect(id: string, label: string, options: [string, string][], selected: string, onPick: (value: string) => void): HTMLElement {
  const pick = el('vscode-single-select', { id, 'aria-label': label });
  for (const [value, text] of options) pick.appendChild(el('vscode-option', { value, selected: value === selected }, text));
  pick.addEventListener('change', () => onPick((pick as unknown as { value: string }).value));
  return pick;
}

export function renderCharts(section: HTMLElement, m: ComparisonModelWire, ui: UiState, act: CompareActions): void {
  clear(section);
  const barsHost = el('div', { class: 'chart-box' });
  const drawBars = () => {
    clear(barsHost);
    const row = m.metrics.find((r) => r.key === ui.chartMetric);
    if (!row) return;
    barsHost.appendChild(barChart(`${row.key} per run`, row.values.map((v, i) => ({ label: runLabel(m, i), value: v, series: i, mark: row.best.includes(i) ? '★' : undefined })), (v) => formatNumber(v)));
  };
  const pick = singleSelect('chart-metric', 'Metric for the bar chart', m.metrics.map((r) => [r.key, r.key]), ui.chartMetric, (v) => { ui.chartMetric = v; drawBars(); act.save(); });
  drawBars();
  const boxes: HTMLElement[] = [el('figure', { class: 'chart-box' }, el('figcaption', {}, 'Metric per run ', pick), barsHost)];
  const lat = m.charts.latency;
  if (lat) {
    boxes.push(el('figure', { class: 'chart-box' }, el('figcaption', {}, 'Latency distribution'),
      histogram('Latency distribution per run', lat.edges, lat.counts.map((counts, i) => ({ label: runLabel(m, i), series: i, counts })), formatMs)));
  }
  const sc = m.charts.scatter;
  const pts = sc.points.flatMap((p) => (p.cost === null || p.quality === null ? [] : [{ label: runLabel(m, p.runIndex), series: p.runIndex, x: p.cost, y: p.quality }]));
  if (pts.length) {
    boxes.push(el('figure', { class: 'chart-box' }, el('figcaption', {}, 'Cost vs quality'),
      scatter('Cost versus quality per run', sc.costMetric, sc.qualityMetric, pts, (v) => formatNumber(v, 4), (v) => formatNumber(v))));
  }
  append(section, [el('h2', {}, 'Charts'), el('div', { class: 'charts' }, ...boxes)]);
}

export function renderPrompt(section: HTMLElement, m: ComparisonModelWire): void {
  clear(section);
  section.appendChild(el('h2', {}, 'Prompt'));
  if (m.promptDiffs.length === 0) {
    const only = m.prompts[m.baselineIndex];
    section.appendChild(only === null ? el('p', { class: 'muted' }, 'No prompt text recorded.') : el('pre', { class: 'prompt' }, only));
    return;
  }
  for (const d of m.promptDiffs) {
    const title = `${runLabel(m, m.baselineIndex)} → ${runLabel(m, d.runIndex)}`;
    if (d.missing) { section.appendChild(el('p', { class: 'muted' }, `${title}: prompt text not recorded on one side.`)); continue; }
    if (d.identical) { section.appendChild(el('p', { class: 'muted' }, `${title}: identical prompt text.`)); continue; }
    const pre = el('pre', { class: 'diff', 'aria-label': `Prompt diff ${title}` });
    for (const l of d.lines) {
      const sign = l.op === 'insert' ? '+' : l.op === 'delete' ? '-' : ' ';
      pre.appendChild(el('div', { class: `diff-line ${l.op}` },
        el('span', { class: 'ln' }, l.oldLine ?? ''), el('span', { class: 'ln' }, l.newLine ?? ''), el('span', { class: 'sign' }, sign), l.text));
    }
    append(section, [el('h3', {}, title), pre]);
  }
}
