// Eval cases from JSONL, CSV, a JSON array, or inline in the suite. Every case remembers where it
// came from (file:line) so errors and the results table can point back at it. The raw bytes are
// hashed: a run records which exact dataset it used.
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

export interface LoadedDataset {
  cases: EvalCase[];
  /** sha256 hex of the raw file bytes (inline: of the canonical JSON of the cases). */
  hash: string;
  /** Absolute path, undefined for inline cases. */
  path?: string;
  /** Bytes to snapshot as the run's dataset artifact. */
  raw: Uint8Array;
  /** Artifact file name: the dataset's base name, or `cases.json` for inline cases. */
  fileName: string;
  format: 'jsonl' | 'csv' | 'json' | 'inline';
}

const RESERVED = new Set(['id', 'expected', 'assert', 'threshold', 'description', 'vars']);
const MAX_DIAGNOSTICS = 20;

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A dataset row as a case: `{vars: {...}, expected}` or a flat object whose other keys are vars. */
function toCase(obj: unknown, index: number, file: string, line: number, diags: Diagnostic[]): EvalCase | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    diags.push({ file, line, column: 1, severity: 'error', message: `case ${index + 1} is not an object`, hint: 'each line is a JSON object such as {"vars": {"text": "…"}, "expected": "…"}' });
    return undefined;
  }
  const rec = obj as Record<string, unknown>;
  let candidate: Record<string, unknown>;
  if ('vars' in rec) {
    candidate = rec;
  } else {
    const vars: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) (RESERVED.has(k) ? rest : vars)[k] = v;
    candidate = { ...rest, vars };
  }
  const parsed = caseSchema.safeParse(candidate);
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

export function parseJsonl(text: string, file: string): EvalCase[] {
  const diags: Diagnostic[] = [];
  const cases: EvalCase[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && diags.length < MAX_DIAGNOSTICS; i++) {
    const line = lines[i].replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.trimStart().startsWith('//')) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      diags.push({
        file, line: i + 1, column: m ? Number(m[1]) + 1 : 1, severity: 'error',
        message: `line ${i + 1} is not valid JSON: ${(err as Error).message}`,
        hint: 'JSONL holds one complete JSON object per line; join wrapped lines and quote keys and strings with "',
      });
      continue;
    }
    const c = toCase(obj, cases.length, file, i + 1, diags);
    if (c) cases.push(c);
  }
  if (diags.length) throw new EvalSuiteError(file, diags);
  return cases;
}

export function parseCsvCases(text: string, file: string): EvalCase[] {
  let rows: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    rows = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, info: true, raw: true, trim: false }) as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number; column?: number };
    throw new EvalSuiteError(file, [{
      file, line: e.lines ?? 1, column: 1, severity: 'error', message: `CSV error: ${e.message}`,
      hint: 'every row needs as many fields as the header; quote fields that contain commas, quotes or newlines',
    }]);
  }
  const diags: Diagnostic[] = [];
  const cases: EvalCase[] = [];
  for (const { record, info, raw } of rows) {
    const startLine = info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
    const vars: Record<string, unknown> = {};
    let expected: unknown;
    let id: string | undefined;
    let description: string | undefined;
    for (const [k, v] of Object.entries(record)) {
      if (k === 'expected' || k === '__expected') expected = v;
      else if (k === 'id' || k === '__id') id = v || undefined;
      else if (k === 'description' || k === '__description') description = v || undefined;
      else vars[k] = v;
    }
    const index = cases.length;
    cases.push({ id: id ?? String(index + 1), index, vars, expected: expected === '' ? undefined : expected, description, source: { file, line: startLine } });
  }
  if (diags.length) throw new EvalSuiteError(file, diags);
  return cases;
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

/** Loads a dataset file; errors are EvalSuiteError with the dataset file's line numbers. */
export function loadDatasetFile(file: string, limit?: number): LoadedDataset {
  const format = datasetFormat(file);
  if (!format) {
    throw new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: `unsupported dataset format ${path.extname(file) || '(no extension)'}`, hint: 'use .jsonl, .csv or .json' }]);
  }
  const raw = fs.readFileSync(file);
  const text = raw.toString('utf8');
  let cases = format === 'jsonl' ? parseJsonl(text, file) : format === 'csv' ? parseCsvCases(text, file) : parseJsonArray(text, file);
  if (limit !== undefined) cases = cases.slice(0, limit);
  return { cases, hash: sha256(raw), path: file, raw, fileName: path.basename(file), format };
}

export function inlineDataset(cases: EvalCase[]): LoadedDataset {
  const json = JSON.stringify(cases.map((c) => ({ id: c.id, vars: c.vars, expected: c.expected, assert: c.assert, threshold: c.threshold })), null, 2);
  const raw = Buffer.from(json, 'utf8');
  return { cases, hash: sha256(raw), raw, fileName: 'cases.json', format: 'inline' };
}

