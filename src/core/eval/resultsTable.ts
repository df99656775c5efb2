// The per-case table in MLflow's table artifact format ({"columns": [...], "data": [[...]]}, what
// mlflow.log_table writes), registered in the run's mlflow.loggedArtifacts tag so MLflow's
// evaluation view lists it. Score columns follow mlflow.evaluate's `<metric>/score` and
// `<metric>/justification` naming; the compare panel reads the same columns back.
import type { CaseRow } from './caseRow';

export const RESULTS_TABLE_FILE = 'eval_results_table.json';

export interface ResultsTable { columns: string[]; data: unknown[][] }

export function buildResultsTable(rows: readonly CaseRow[], scorerNames: readonly string[]): ResultsTable {
  // Case-level scorers may add names that suite-wide scorers do not have.
  const names = [...scorerNames];
  for (const r of rows) for (const s of r.scores) if (!names.includes(s.name)) names.push(s.name);
  const sorted = [...rows].sort((a, b) => a.caseIndex - b.caseIndex || a.repeat - b.repeat);
  return { columns: tableColumns(names), data: sorted.map((r) => tableRow(r, names)) };
}

/** The table's columns for these scorer names (suite-wide first, then case-level ones). */
export function tableColumns(names: readonly string[]): string[] {
  return [
    'case_id', 'repeat', 'inputs', 'expected', 'outputs',
    ...names.flatMap((n) => [`${n}/score`, `${n}/justification`]),
    'score', 'pass', 'latency_ms', 'input_tokens', 'output_tokens', 'cost_usd', 'cached', 'error',
  ];
}

/** One row's cells, in tableColumns(names) order. */
export function tableRow(r: CaseRow, names: readonly string[]): unknown[] {
  // Once a row as it is recorded, and for every done row when a resume starts: a few scorers a
  // row, so a scan of its scores beats building a Map of them. The last score of a name wins.
  const cells: unknown[] = [r.caseId, r.repeat, r.vars, r.expected ?? null, r.output ?? null];
  for (const n of names) {
    let s: CaseRow['scores'][number] | undefined;
    for (let k = r.scores.length - 1; k >= 0 && !s; k--) if (r.scores[k].name === n) s = r.scores[k];
    if (s) cells.push(round(s.score), s.reason);
    else cells.push(null, null);
  }
  cells.push(
    round(r.score), r.pass, r.latencyMs ?? null, r.inputTokens ?? null, r.outputTokens ?? null,
    r.costUsd ?? null, r.cached ?? false, r.error ? `${r.error.kind}: ${r.error.message}` : null,
  );
  return cells;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function loggedArtifactsTag(paths: readonly string[]): string {
  return JSON.stringify(paths.map((p) => ({ path: p, type: 'table' })));
}
