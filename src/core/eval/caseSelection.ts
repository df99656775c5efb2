// Running some of a suite's cases (the Test Explorer's "Run" on one case or a few, watch mode):
// the dataset narrowed to those ids, re-indexed so row indexes, case scorers and the journal stay
// dense. The dataset hash stays the whole file's: the run still says which dataset it came from,
// and its `partial` tag says it is not a whole-suite result.
import { memoryDataset, type EvalCase, type LoadedDataset } from './dataset';

export interface CaseSelection {
  dataset: LoadedDataset;
  /** Set when only some cases run: how many, out of how many. */
  partial?: { cases: number; of: number };
}

export class UnknownCaseError extends Error {
  constructor(file: string, ids: string[]) {
    super(`${file}: no case with id ${ids.map((i) => `"${i}"`).join(', ')}; the ids come from each case's \`id\` (or its 1-based position when it has none). Refresh the Test Explorer or fix the id.`);
    this.name = 'UnknownCaseError';
  }
}

export function selectCases(dataset: LoadedDataset, caseIds?: readonly string[]): CaseSelection {
  if (!caseIds) return { dataset };
  const wanted = new Set(caseIds);
  const cases: EvalCase[] = [];
  for (const c of dataset.cases) if (wanted.has(c.id)) cases.push(c);
  const found = new Set(cases.map((c) => c.id));
  const missing = [...wanted].filter((id) => !found.has(id));
  if (missing.length) throw new UnknownCaseError(dataset.path ?? 'the suite\'s inline cases', missing);
  if (cases.length === dataset.cases.length) return { dataset };
  return {
    dataset: memoryDataset(cases.map((c, index) => ({ ...c, index })), { hash: dataset.hash, raw: dataset.snapshot(), fileName: dataset.fileName, format: dataset.format, path: dataset.path }),
    partial: { cases: cases.length, of: dataset.cases.length },
  };
}
