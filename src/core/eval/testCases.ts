// What the editor's Test Explorer shows of a suite: one entry per case (its id, a label, the
// dataset line it is defined on), and how a recorded row reads as a test result (pass/fail, the
// scorers' reasons, expected vs actual). Pure, so the tree and the messages test without VS Code.
import type { LoadedSuite } from './suiteLoader';
import { loadSuiteDataset } from './suiteLoader';
import type { EvalCase } from './dataset';
import type { CaseRow } from './caseRow';

export interface TestCaseEntry {
  id: string;
  label: string;
  /** Absolute file the case is defined in (the dataset, or the suite for inline cases), 1-based line. */
  file: string;
  line: number;
  description?: string;
}

const LABEL_MAX = 60;

function caseLabel(c: EvalCase): string {
  if (c.description) return `${c.id} · ${clip(c.description)}`;
  return c.id;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > LABEL_MAX ? `${one.slice(0, LABEL_MAX - 1)}…` : one;
}

/** The suite's cases as Test Explorer entries (reads the dataset file; throws its EvalSuiteError). */
export function suiteTestCases(suite: LoadedSuite): TestCaseEntry[] {
  return Array.from(loadSuiteDataset(suite).cases, (c) => ({
    id: c.id, label: caseLabel(c), file: c.source.file, line: c.source.line,
    description: c.description ?? varsPreview(c.vars),
  }));
}

function varsPreview(vars: Record<string, unknown>): string | undefined {
  const first = Object.values(vars).find((v) => typeof v === 'string') as string | undefined;
  return first === undefined ? undefined : clip(first);
}

export interface CaseOutcome {
  passed: boolean;
  /** The failing scorers' reasons (or the error), one a line; the passing ones when it passed. */
  message: string;
  /** For the diff view: what the case expects and what the model answered. */
  expected?: string;
  actual?: string;
  durationMs?: number;
}

export function caseOutcome(row: CaseRow): CaseOutcome {
  if (row.error) return { passed: false, message: `${row.error.kind}: ${row.error.message}`, durationMs: row.latencyMs };
  const counted = row.scores.filter((s) => !s.metricOnly);
  const shown = row.pass ? counted : counted.filter((s) => !s.pass);
  const message = shown.map((s) => `${s.pass ? '✓' : '✗'} ${s.name}: ${s.reason}`).join('\n') || (row.pass ? 'passed' : 'failed');
  return {
    passed: row.pass, message, durationMs: row.latencyMs,
    expected: row.expected === undefined ? undefined : typeof row.expected === 'string' ? row.expected : JSON.stringify(row.expected, null, 2),
    actual: row.output,
  };
}
