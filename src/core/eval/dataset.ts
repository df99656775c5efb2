// Eval cases from JSONL, CSV, a JSON array, or inline in the suite. Every case remembers where it
// came from (file:line) so errors and the results table can point back at it. The raw bytes are
// hashed: a run records which exact dataset it used. A run reads a JSONL/CSV file as a stream and
// keeps only where each case starts (datasetFile.ts); the parsers here take text already in memory
// (an editor's unsaved text, a file at a git commit, a run's snapshot) and inline cases.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { AssertSpec, CaseSpec } from './suiteSchema';
import { caseSchema } from './suiteSchema';
import { EvalSuiteError, type Diagnostic } from './diagnostics';

export interface EvalCase {
  /** Stable id: the case's `id`, else its 1-based position. */
  id: string;
  index: number;
  vars: Record<string, unknown>;
  expected?: unknown;
  assert?: AssertSpec[];
  threshold?: number;
  description?: string;
  /** Where the case is defined (dataset file or the suite for inline cases), 1-based line. */
  source: { file: string; line: number };
}

/**
 * A dataset's cases by position. An array is one; a streamed file is another (datasetFile.ts:
 * each `at` reads the case back from disk), so a run never holds every case. Iterating reads
 * them in order, one at a time.
 */
export interface CaseList extends Iterable<EvalCase> {
  readonly length: number;
  at(index: number): EvalCase | undefined;
}

export interface LoadedDataset {
  cases: CaseList;
  /** sha256 hex of the raw file bytes (inline: of the canonical JSON of the cases). */
  hash: string;
  /** Absolute path, undefined for inline cases. */
  path?: string;
  /** Bytes to snapshot as the run's dataset artifact (a streamed file is read again, and checked against `hash`). */
  snapshot(): Uint8Array;
  /** Artifact file name: the dataset's base name, or `cases.json` for inline cases. */
  fileName: string;
  format: 'jsonl' | 'csv' | 'json' | 'inline';
  /** Every var name some case has (first-seen order). */
  variables: readonly string[];
  /** Some case has an `expected`. */
  hasExpectations: boolean;
  /** The cases that have their own `assert:` list, by case index (usually none or few). */
  caseAsserts: ReadonlyMap<number, AssertSpec[]>;
}

/** What is known of a dataset's cases without keeping them: filled one case at a time. */
export class CaseSummary {
  private readonly vars = new Set<string>();
  hasExpectations = false;
  readonly caseAsserts = new Map<number, AssertSpec[]>();

  add(c: EvalCase): void {
    for (const k in c.vars) this.vars.add(k);
    if (c.expected !== undefined) this.hasExpectations = true;
    if (c.assert?.length) this.caseAsserts.set(c.index, c.assert);
  }

  get variables(): string[] { return [...this.vars]; }
}

/** A dataset whose cases are in memory (inline cases, a selection, text from git or a snapshot). */
export function memoryDataset(cases: EvalCase[], rest: { hash: string; raw: Uint8Array; fileName: string; format: LoadedDataset['format']; path?: string }): LoadedDataset {
  const summary = new CaseSummary();
  for (const c of cases) summary.add(c);
  const { raw, ...meta } = rest;
  return { ...meta, cases, snapshot: () => raw, variables: summary.variables, hasExpectations: summary.hasExpectations, caseAsserts: summary.caseAsserts };
}

const RESERVED = new Set(['id', 'expected', 'assert', 'threshold', 'description', 'vars']);
export const MAX_DIAGNOSTICS = 20;

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `{vars: {...}, expected}` as is; a flat object's keys other than the reserved ones become its vars. */
function caseShape(rec: Record<string, unknown>): Record<string, unknown> {
  if ('vars' in rec) return rec;
  const vars: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const k in rec) (RESERVED.has(k) ? rest : vars)[k] = rec[k];
  return { ...rest, vars };
}

/**
 * A row already checked by toCase (when its file was opened), read again: the same case without
 * running the schema a second time (the runner reads each case back once per pass).
 */
export function toCheckedCase(obj: Record<string, unknown>, index: number, file: string, line: number): EvalCase {
  return fromSpec(caseShape(obj) as CaseSpec, index, file, line);
}

/** A dataset row as a case: `{vars: {...}, expected}` or a flat object whose other keys are vars. */
export function toCase(obj: unknown, index: number, file: string, line: number, diags: Diagnostic[]): EvalCase | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    diags.push({ file, line, column: 1, severity: 'error', message: `case ${index + 1} is not an object`, hint: 'each line is a JSON object such as {"vars": {"text": "…"}, "expected": "…"}' });
    return undefined;
  }
  const parsed = caseSchema.safeParse(caseShape(obj as Record<string, unknown>));
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 3)) {
      diags.push({ file, line, column: 1, severity: 'error', message: `case ${index + 1}: ${issue.path.join('.') || 'case'}: ${issue.message}`, hint: 'a case has vars (object), optional expected, id, assert, threshold, description' });
    }
    return undefined;
  }
  return fromSpec(parsed.data, index, file, line);
}

export function fromSpec(c: CaseSpec, index: number, file: string, line: number): EvalCase {
  return {
    id: c.id !== undefined ? String(c.id) : String(index + 1),
    index,
    vars: c.vars ?? {},
    expected: c.expected,
    assert: c.assert,
    threshold: c.threshold,
    description: c.description,
    source: { file, line },
  };
}

/**
 * One JSONL line as a case: undefined for a blank or `//` comment line, null when it has an error
 * (pushed to `diags` with its line and column).
 */
export function jsonlLineCase(text: string, lineNo: number, index: number, file: string, diags: Diagnostic[]): EvalCase | null | undefined {
  const line = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lead = line.trimStart();
  if (lead === '' || lead.startsWith('//')) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    diags.push({
      file, line: lineNo, column: m ? Number(m[1]) + 1 : 1, severity: 'error',
      message: `line ${lineNo} is not valid JSON: ${(err as Error).message}`,
      hint: 'JSONL holds one complete JSON object per line; join wrapped lines and quote keys and strings with "',
    });
    return null;
  }
  return toCase(obj, index, file, lineNo, diags) ?? null;
}

export function parseJsonl(text: string, file: string): EvalCase[] {
  const diags: Diagnostic[] = [];
  const cases: EvalCase[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && diags.length < MAX_DIAGNOSTICS; i++) {
    const c = jsonlLineCase(lines[i], i + 1, cases.length, file, diags);
    if (c) cases.push(c);
  }
  if (diags.length) throw new EvalSuiteError(file, diags);
  return cases;
}

/** csv-parse's options for a dataset: a header row, rows with their line info and raw text. */
export const CSV_OPTIONS = { columns: true, bom: true, skip_empty_lines: true, info: true, raw: true, trim: false } as const;

export function csvError(file: string, err: unknown): EvalSuiteError {
  const e = err as Error & { lines?: number; column?: number };
  return new EvalSuiteError(file, [{
    file, line: e.lines ?? 1, column: 1, severity: 'error', message: `CSV error: ${e.message}`,
    hint: 'every row needs as many fields as the header; quote fields that contain commas, quotes or newlines',
  }]);
}

export function parseCsvCases(text: string, file: string): EvalCase[] {
  let rows: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    rows = parseCsv(text, CSV_OPTIONS) as typeof rows;
  } catch (err) {
    throw csvError(file, err);
  }
  const cases: EvalCase[] = [];
  for (const { record, info, raw } of rows) cases.push(csvCase(record, cases.length, file, csvRowLine(info, raw)));
  return cases;
}

/** The first line of a CSV row (a quoted field may span lines), from csv-parse's `info` and `raw`. */
export function csvRowLine(info: { lines: number }, raw: string): number {
  return info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
}

/** A CSV row as a case: `expected`/`id`/`description` columns (or `__`-prefixed), the rest vars. */
export function csvCase(record: Record<string, string>, index: number, file: string, line: number): EvalCase {
  const vars: Record<string, unknown> = {};
  let expected: unknown;
  let id: string | undefined;
  let description: string | undefined;
  for (const k in record) {
    const v = record[k];
    if (k === 'expected' || k === '__expected') expected = v;
    else if (k === 'id' || k === '__id') id = v || undefined;
    else if (k === 'description' || k === '__description') description = v || undefined;
    else vars[k] = v;
  }
  return { id: id ?? String(index + 1), index, vars, expected: expected === '' ? undefined : expected, description, source: { file, line } };
}

export function parseJsonArray(text: string, file: string): EvalCase[] {
  let data: unknown;
  try { data = JSON.parse(text); } catch (err) {
    throw new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: `not valid JSON: ${(err as Error).message}`, hint: 'a .json dataset is an array of cases' }]);
  }
  if (!Array.isArray(data)) {
    throw new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: 'a .json dataset must be an array of cases', hint: 'wrap the cases in [ … ], or use .jsonl with one case per line' }]);
  }
  const diags: Diagnostic[] = [];
  const cases: EvalCase[] = [];
  data.forEach((row) => {
    const c = toCase(row, cases.length, file, 1, diags);
    if (c) cases.push(c);
  });
  if (diags.length) throw new EvalSuiteError(file, diags);
  return cases;
}

export function datasetFormat(file: string): 'jsonl' | 'csv' | 'json' | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return undefined;
}

/** The refusal for a file that is not .jsonl, .csv or .json. */
export function unsupportedFormat(file: string): EvalSuiteError {
  return new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: `unsupported dataset format ${path.extname(file) || '(no extension)'}`, hint: 'use .jsonl, .csv or .json' }]);
}

/**
 * Loads a whole dataset file into memory (the Test Explorer's case list, `validate`); errors are
 * EvalSuiteError with the dataset file's line numbers. A run streams it instead (openDatasetFile).
 */
export function loadDatasetFile(file: string, limit?: number): LoadedDataset {
  const format = datasetFormat(file);
  if (!format) throw unsupportedFormat(file);
  const raw = fs.readFileSync(file);
  const text = raw.toString('utf8');
  let cases = format === 'jsonl' ? parseJsonl(text, file) : format === 'csv' ? parseCsvCases(text, file) : parseJsonArray(text, file);
  if (limit !== undefined) cases = cases.slice(0, limit);
  return memoryDataset(cases, { hash: sha256(raw), path: file, raw, fileName: path.basename(file), format });
}

export function inlineDataset(cases: EvalCase[]): LoadedDataset {
  const json = JSON.stringify(cases.map((c) => ({ id: c.id, vars: c.vars, expected: c.expected, assert: c.assert, threshold: c.threshold })), null, 2);
  const raw = Buffer.from(json, 'utf8');
  return memoryDataset(cases, { hash: sha256(raw), raw, fileName: 'cases.json', format: 'inline' });
}
