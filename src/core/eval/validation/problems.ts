// What "validate before spending" reports: a Diagnostic (file, 1-based line/column, severity, fix
// hint) plus a stable code, so the CLI, the Problems panel and the runner's refusal speak alike.
import type { Diagnostic } from '../diagnostics';

export type ValidationCode =
  | 'missing-variable'     // the template needs a variable the row lacks (render would fail)
  | 'render-error'         // the row fails to render for another reason
  | 'unused-column'        // a column no prompt, input or scorer reads
  | 'blank-value'          // empty or whitespace-only value
  | 'duplicate-case'       // same vars as an earlier row
  | 'duplicate-id'         // same id as an earlier row (results would be joined wrongly)
  | 'input-type'           // value does not match the Prompty input's declared type
  | 'long-prompt'          // rendered prompt far longer than the other rows
  | 'context-overflow'     // rendered prompt longer than the model's context window
  | 'missing-expected'     // a scorer compares against `expected` and the row has none
  | 'scorer-variable'      // a scorer value names a variable the row lacks (left as `{{x}}`)
  | 'suite'                // a problem of the suite file itself (suiteLoader's diagnostics)
  | 'dataset';             // the dataset could not be read (dataset.ts's diagnostics)

export interface ValidationProblem extends Diagnostic {
  code: ValidationCode;
  /** 0-based case index, for problems about one row. */
  caseIndex?: number;
}

export interface ValidationReport {
  suiteFile: string;
  /** Cases the dataset holds (0 when it could not be read). */
  caseCount: number;
  /** Absolute dataset path (undefined for inline cases or when the suite did not parse). */
  datasetPath?: string;
  /** Absolute prompt paths (what the editor re-checks the suite on). */
  promptPaths?: string[];
  problems: ValidationProblem[];
  errors: number;
  warnings: number;
}

export function countSeverities(problems: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const p of problems) if (p.severity === 'error') errors++;
  return { errors, warnings: problems.length - errors };
}

/** `8 cases · 1 problem` (the suite CodeLens and the CLI summary). */
export function reportSummary(r: Pick<ValidationReport, 'caseCount' | 'problems'>): string {
  const n = r.problems.length;
  const cases = `${r.caseCount} case${r.caseCount === 1 ? '' : 's'}`;
  return `${cases} · ${n === 0 ? 'no problems' : `${n} problem${n === 1 ? '' : 's'}`}`;
}
