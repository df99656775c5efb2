// "Real change or noise?": each run against the baseline on their shared cases — the paired
// difference in pass rate and each scorer's mean, its 95 % interval and the verdict. The numbers
// come from the host (src/core/compare/significance.ts); this only lays them out, as text.
import type { ComparisonModelWire } from '../../src/protocol/compareProtocol';
import { append, clear, el, formatNumber } from '../shared/dom';

const VERDICT_CLASS = { better: 'better', worse: 'worse', changed: '', 'within noise': 'muted' } as const;

const signed = (v: number) => (v === 0 ? '0' : `${v > 0 ? '+' : '−'}${formatNumber(Math.abs(v))}`);

export function renderSignificance(section: HTMLElement, m: ComparisonModelWire): void {
  clear(section);
  const method = m.significanceMethod;
  const heading = el('h2', {}, 'Significance');
  if (m.significance.length === 0) {
    append(section, [heading, el('p', { class: 'muted' }, 'Needs the per-case table of the baseline and at least one other run.')]);
    return;
  }
  const blocks = m.significance.map((s) => {
    const title = `${m.runs[s.runIndex].runName} vs ${m.runs[m.baselineIndex].runName}`;
    const facts = `${s.pairedCases} paired cases${s.unpairedCases ? ` (${s.unpairedCases} not in both runs, left out)` : ''}${Math.max(...s.repeats) > 1 ? ` · ${s.repeats[0]}/${s.repeats[1]} samples per case` : ''}`;
    const body = el('tbody');
    for (const r of s.rows) {
      body.appendChild(el('tr', { 'data-metric': r.metric, 'data-verdict': r.verdict },
        el('th', { scope: 'row' }, r.metric),
        el('td', {}, formatNumber(r.baseline)),
        el('td', {}, formatNumber(r.candidate)),
        el('td', { class: VERDICT_CLASS[r.verdict] }, signed(r.delta)),
        el('td', {}, `[${signed(r.low)}, ${signed(r.high)}]`),
        el('td', { class: `verdict ${VERDICT_CLASS[r.verdict]}` }, r.verdict),
        el('td', { class: 'muted' }, r.mcnemarP === null ? '' : `McNemar p = ${formatNumber(r.mcnemarP)}`)));
    }
    return el('div', { class: 'significance-run' },
      el('h3', {}, title),
      el('p', { class: 'muted' }, facts),
      el('table', { class: 'grid significance-table' },
        el('thead', {}, el('tr', {}, ...['Metric', 'Baseline', 'This run', 'Δ', `${Math.round(method.confidence * 100)} % interval`, 'Verdict', ''].map((h) => el('th', { scope: 'col' }, h)))),
        body));
  });
  append(section, [heading,
    el('p', { class: 'muted legend' }, `Paired differences on the same cases; ${Math.round(method.confidence * 100)} % interval from a ${method.name} (${method.resamples} resamples, fixed seed ${method.seed}; with repeats each case's samples are redrawn too). An interval that includes 0 is within noise.`),
    ...blocks]);
}
