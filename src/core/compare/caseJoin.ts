// Joins per-case rows of several runs on the case key (case id, else inputs hash), keeping the
// order of first appearance so the table reads like the dataset.
import type { CaseCell, CaseRow } from './comparisonModel';
import { textOf, type EvalCase } from './evalTable';

export function joinCases(perRun: (EvalCase[] | undefined)[]): CaseRow[] {
  const order: string[] = [];
  const byKey = new Map<string, { first: EvalCase; cells: (CaseCell | null)[] }>();
  perRun.forEach((cases, runIdx) => {
    for (const c of cases ?? []) {
      let entry = byKey.get(c.key);
      if (!entry) {
        entry = { first: c, cells: perRun.map(() => null) };
        byKey.set(c.key, entry);
        order.push(c.key);
      }
      entry.cells[runIdx] = toCell(c);
    }
  });
  return order.map((key) => {
    const { first, cells } = byKey.get(key)!;
    return {
      key,
      caseId: first.caseId ?? null,
      inputs: textOf(first.inputs),
      expected: textOf(first.expected),
      cells,
      changed: isChanged(cells),
      failing: cells.some((c) => c !== null && (c.pass === false || c.error !== null)),
    };
  });
}

function toCell(c: EvalCase): CaseCell {
  return {
    output: c.output,
    outputLength: c.output.length,
    scores: c.scores,
    pass: c.pass ?? null,
    latencyMs: c.latencyMs ?? null,
    costUsd: c.costUsd ?? null,
    error: c.error ?? null,
  };
}

function isChanged(cells: (CaseCell | null)[]): boolean {
  const present = cells.filter((c): c is CaseCell => c !== null);
  if (present.length < 2) return false;
  const [a, ...rest] = present;
  return rest.some((b) =>
    b.output !== a.output || b.pass !== a.pass || (b.error ?? '') !== (a.error ?? '') || !sameScores(a.scores, b.scores));
}

function sameScores(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
