// Two runs' comparison as text for terminals and CI: a plain table, Markdown ready for a PR
// comment, or JSON. Quality metrics (pass rate, scorer means) carry the paired significance;
// the other run metrics (latency, tokens, cost…) are listed with their deltas.
import type { ComparisonModel } from './comparisonModel';
import { regressions, type RunSignificance, type SignificanceRow } from './significance';

export interface CompareReport {
  baseline: { runId: string; runName: string };
  candidate: { runId: string; runName: string };
  method: ComparisonModel['significanceMethod'];
  pairedCases: number;
  unpairedCases: number;
  repeats: [number, number];
  significance: SignificanceRow[];
  /** Run metrics other than those with significance rows. */
  metrics: { key: string; baseline: number | null; candidate: number | null; delta: number | null }[];
  /** Metrics whose interval excludes 0 on the worse side. */
  regressions: string[];
}

/** The report of run `candidateIndex` against the model's baseline. */
export function compareReport(model: ComparisonModel, candidateIndex: number): CompareReport {
  const b = model.baselineIndex;
  const sig: RunSignificance = model.significance.find((s) => s.runIndex === candidateIndex)
    ?? { runIndex: candidateIndex, pairedCases: 0, unpairedCases: 0, repeats: [0, 0], rows: [] };
  const withSig = new Set(sig.rows.map((r) => r.metric));
  const run = (i: number) => ({ runId: model.runs[i].runId, runName: model.runs[i].runName });
  return {
    baseline: run(b), candidate: run(candidateIndex), method: model.significanceMethod,
    pairedCases: sig.pairedCases, unpairedCases: sig.unpairedCases, repeats: sig.repeats,
    significance: sig.rows,
    metrics: model.metrics.filter((m) => !withSig.has(m.key)).map((m) => ({ key: m.key, baseline: m.values[b], candidate: m.values[candidateIndex], delta: m.deltas[candidateIndex] })),
    regressions: regressions(sig).map((r) => r.metric),
  };
}

const num = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : String(Number(v.toPrecision(3))));
const signed = (v: number | null) => (v === null ? '—' : v === 0 ? '0' : `${v > 0 ? '+' : '−'}${num(Math.abs(v))}`);
const short = (run: { runId: string; runName: string }) => `${run.runName} (${run.runId.slice(0, 7)})`;
const interval = (r: SignificanceRow) => `[${signed(r.low)}, ${signed(r.high)}]`;
const pct = (c: number) => `${Math.round(c * 100)} %`;

function methodNote(r: CompareReport): string {
  const reps = Math.max(...r.repeats) > 1 ? `, ${r.repeats[0]}/${r.repeats[1]} samples per case (each case's samples redrawn too)` : '';
  const left = r.unpairedCases ? `; ${r.unpairedCases} cases not in both runs left out` : '';
  return `${pct(r.method.confidence)} intervals: ${r.method.name} over ${r.pairedCases} paired cases (${r.method.resamples} resamples, seed ${r.method.seed}${reps})${left}. An interval that includes 0 is within noise.`;
}

function verdictText(r: SignificanceRow): string {
  return r.mcnemarP === null ? r.verdict : `${r.verdict} (McNemar p=${r.mcnemarP < 0.001 ? r.mcnemarP.toExponential(1) : r.mcnemarP.toFixed(3)})`;
}

export function formatCompareTable(r: CompareReport): string {
  const rows: string[][] = [['metric', 'baseline', 'candidate', 'Δ', `${pct(r.method.confidence)} interval`, 'verdict']];
  for (const s of r.significance) rows.push([s.metric, num(s.baseline), num(s.candidate), signed(s.delta), interval(s), verdictText(s)]);
  for (const m of r.metrics) rows.push([m.key, num(m.baseline), num(m.candidate), signed(m.delta), '', '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [
    `baseline:  ${r.baseline.runName} (${r.baseline.runId})`,
    `candidate: ${r.candidate.runName} (${r.candidate.runId})`,
    '',
    line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line),
    '',
    methodNote(r),
    r.regressions.length ? `Significant regression: ${r.regressions.join(', ')}.` : 'No significant regression.',
    '',
  ].join('\n');
}

/** Markdown for a PR comment: a heading with the outcome, the quality table, the rest folded. */
export function formatCompareMarkdown(r: CompareReport): string {
  const esc = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
  const icon = (s: SignificanceRow) => (s.verdict === 'worse' ? '🔴 worse' : s.verdict === 'better' ? '🟢 better' : s.verdict === 'changed' ? '🟡 changed' : '⚪ within noise');
  const out = [
    `### Prompt Ledger: ${esc(short(r.candidate))} vs baseline ${esc(short(r.baseline))} — ${r.regressions.length ? `❌ significant regression in ${r.regressions.map((m) => `\`${m}\``).join(', ')}` : '✅ no significant regression'}`,
    '',
    `| metric | baseline | this change | Δ | ${pct(r.method.confidence)} interval | verdict |`,
    '|---|---:|---:|---:|:---:|---|',
    ...r.significance.map((s) => `| \`${s.metric}\` | ${num(s.baseline)} | ${num(s.candidate)} | ${signed(s.delta)} | ${interval(s)} | ${icon(s)}${s.mcnemarP === null ? '' : ` (McNemar p=${s.mcnemarP.toFixed(3)})`} |`),
    '',
    `<sub>${esc(methodNote(r))} Runs: baseline \`${r.baseline.runId}\`, this change \`${r.candidate.runId}\`.</sub>`,
  ];
  if (r.metrics.length) {
    out.push('', '<details><summary>Other run metrics</summary>', '', '| metric | baseline | this change | Δ |', '|---|---:|---:|---:|',
      ...r.metrics.map((m) => `| \`${m.key}\` | ${num(m.baseline)} | ${num(m.candidate)} | ${signed(m.delta)} |`), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}
