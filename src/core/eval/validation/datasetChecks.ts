// The checks run before any model is called, on data already in memory: the cases, the parsed
// prompts, the scorer specs and what is known of the models. Pure (no I/O): validateSuite.ts
// loads things and hands them here. Each problem sits at its row: the JSONL line, the CSV row's
// first line, or the inline case's line in the suite.
import path from 'node:path';
import type { CaseList, EvalCase } from '../dataset';
import type { AssertSpec } from '../suiteSchema';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { MissingVariableError, PromptRenderError, renderPrompt } from '../../prompts/render';
import { NOT_RENDERED } from '../costEstimate';
import { splitType } from '../scorers/createScorer';
import { stableStringify } from '../../compare/evalTable';
import { checkInputType } from './inputTypes';
import { estimateMessageTokens, estimateTokensOfLength } from '../../providers/tokenEstimate';
import { contextWindowOf } from './contextWindows';
import type { ValidationCode, ValidationProblem } from './problems';
import type { Severity } from '../diagnostics';

export interface CheckedModel {
  /** e.g. `openai:gpt-4o-mini` */
  label: string;
  /** The model name sent to the provider, when there is one. */
  model?: string;
  /** max_tokens the run asks for (counts against the context window). */
  maxTokens?: number;
}

export interface DatasetCheckInput {
  /** Read in order, twice (a streamed file is parsed again each time, never held). */
  cases: CaseList;
  format: 'jsonl' | 'csv' | 'json' | 'inline';
  /** The dataset's text of a line (JSONL/CSV), to point at columns; given the case that sits there. */
  lineText?: (line: number, caseIndex?: number) => string | undefined;
  prompts: ParsedPrompt[];
  /** Suite-wide scorers (each case's own `assert:` is read from the case). */
  scorers: AssertSpec[];
  /** The cases' own `assert:` lists (LoadedDataset.caseAsserts), known before the pass over the rows. */
  caseAsserts: ReadonlyMap<number, AssertSpec[]>;
  models: CheckedModel[];
  /**
   * Per prompt (same order), filled with each case's estimated input tokens (what the cost estimate
   * needs): the check renders every case anyway, so the estimate does not render them all a second
   * time. NOT_RENDERED where the check's render is not the run's (the row lacks a key of the
   * prompt's sample, or does not render): the estimate renders those rows itself.
   */
  inputTokens?: Uint32Array[];
}

/** A row is an outlier when its prompt is this many times the median and this much longer. */
export const OUTLIER_FACTOR = 3;
export const OUTLIER_MIN_EXTRA_CHARS = 1000;
/** Per code; the rest is summed up in one more problem so a broken column cannot flood the panel. */
export const MAX_PER_CODE = 50;

// Scorers that compare against the case's `expected` when they have no `value`.
const USES_EXPECTED_BY_DEFAULT = new Set([
  'equals', 'contains', 'icontains', 'contains-any', 'icontains-any', 'contains-all', 'icontains-all',
  'starts-with', 'numeric', 'levenshtein', 'rouge-n', 'rouge-l',
]);
// The same reference syntax scorers/interpolate.ts fills in.
const VAR_REF = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

function refsOf(value: unknown): string[] {
  const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return strings.flatMap((s) => [...s.matchAll(VAR_REF)].map((m) => m[1]));
}

export function needsExpected(spec: AssertSpec): boolean {
  const { base } = splitType(spec.type);
  return (spec.value === undefined && USES_EXPECTED_BY_DEFAULT.has(base)) || refsOf(spec.value).includes('expected');
}

/** The run renders a row's vars over the prompt's sample (renderCase): the same as the row alone when it has every sample key. */
function rendersAsRun(p: ParsedPrompt, vars: Record<string, unknown>): boolean {
  if (!p.sample) return true;
  for (const k in p.sample) if (!(k in vars)) return false;
  return true;
}

const isBlank = (v: unknown) => v === null || (typeof v === 'string' && v.trim() === '');

export function checkDataset(input: DatasetCheckInput): ValidationProblem[] {
  const { cases, prompts, scorers } = input;
  const lineText = input.lineText ?? (() => undefined);
  const out: ValidationProblem[] = [];
  const add = (c: EvalCase | undefined, code: ValidationCode, severity: Severity, message: string, hint: string, key?: string, at?: { line: number; column: number }) => {
    const line = at?.line ?? c?.source.line ?? 1;
    const text = lineText(line, at ? undefined : c?.index);
    const column = at?.column ?? (key !== undefined ? keyColumn(text, key, input.format) : 1);
    const endColumn = key !== undefined && column > 1 ? column + JSON.stringify(key).length : text !== undefined && input.format !== 'inline' ? Math.max(2, text.length + 1) : undefined;
    out.push({ file: c?.source.file ?? '', line, column, endLine: endColumn !== undefined ? line : undefined, endColumn, severity, message, hint, code, caseIndex: c?.index });
  };
  const where = (c: EvalCase) => `case ${c.id}`;
  const multiPrompt = prompts.length > 1;
  const promptName = (p: ParsedPrompt) => (multiPrompt ? ` (${path.basename(p.filePath)})` : '');

  const allAsserts = [...scorers, ...[...input.caseAsserts.values()].flat()];
  const hasCodeScorer = allAsserts.some((a) => splitType(a.type).base === 'javascript');
  const used = new Set<string>([
    ...prompts.flatMap((p) => [...p.variables, ...p.inputs.map((i) => i.name)]),
    ...allAsserts.flatMap((a) => refsOf(a.value)),
  ]);

  // One pass over the rows: rendering, types, blanks, expected, scorer references, duplicate ids
  // and vars, columns nothing reads. Only an id, a line and a vars key are kept per row.
  const lengths: number[] = [];
  const suiteRefs = scorers.map((a) => ({ a, refs: refsOf(a.value) }));
  const suiteNeeding = scorers.filter(needsExpected);
  const byId = new Map<string, number>();
  const byVars = new Map<string, { id: string; line: number }>();
  const seenColumns = new Set<string>();
  const checkColumns = !hasCodeScorer && prompts.length > 0;
  let row = -1;
  for (const c of cases) {
    row++;
    let longest = 0;
    for (let pi = 0; pi < prompts.length; pi++) {
      const p = prompts[pi];
      try {
        // The row's own values, without the prompt's sample: a row that lacks a variable is an
        // error even when the sample has one (it would silently run on the sample's text).
        const rendered = renderPrompt(p, c.vars);
        longest = Math.max(longest, rendered.text.length);
        // The run renders vars over the sample: the same text unless the row lacks a sample key.
        if (input.inputTokens) input.inputTokens[pi][row] = rendersAsRun(p, c.vars) ? estimateMessageTokens(rendered.messages) : NOT_RENDERED;
      } catch (e) {
        if (input.inputTokens) input.inputTokens[pi][row] = NOT_RENDERED;
        if (e instanceof MissingVariableError) {
          const names = e.variables.map((v) => `\`${v}\``).join(', ');
          add(c, 'missing-variable', 'error', `${where(c)}: no value for ${names}, which the template${promptName(p)} needs`,
            `add ${e.variables.length > 1 ? 'them' : 'it'} to this row (${e.variables.map((v) => `"${v}": …`).join(', ')}), or give the input a default in the prompt`);
        } else if (e instanceof PromptRenderError) {
          add(c, 'render-error', 'error', `${where(c)}: the prompt${promptName(p)} does not render: ${e.message}`, 'fix the value in this row or the template expression');
        } else throw e;
      }
      for (const inp of p.inputs) {
        if (!inp.type || !(inp.name in c.vars)) continue;
        const m = checkInputType(inp.name, inp.type, c.vars[inp.name], input.format === 'csv');
        if (m) add(c, 'input-type', m.severity, `${where(c)}: ${m.message}${promptName(p)}`, m.hint, inp.name);
      }
    }
    lengths.push(longest);
    for (const [k, v] of Object.entries(c.vars)) {
      if (isBlank(v) && (hasCodeScorer || used.has(k))) add(c, 'blank-value', 'warning', `${where(c)}: \`${k}\` is ${v === null ? 'null' : 'empty'}`, 'fill it in, or drop the row if it is not a real case', k);
    }
    // The suite's scorers are the same for every row: their references were worked out once.
    const own = c.assert;
    const caseAsserts = own?.length ? [...suiteRefs, ...own.map((a) => ({ a, refs: refsOf(a.value) }))] : suiteRefs;
    const needing = own?.length ? [...suiteNeeding, ...own.filter(needsExpected)] : suiteNeeding;
    if (needing.length && (c.expected === undefined || isBlank(c.expected))) {
      const names = [...new Set(needing.map((a) => a.metric ?? a.type))].join(', ');
      add(c, 'missing-expected', 'error', `${where(c)}: no \`expected\`, but ${names} compare${needing.length === 1 ? 's' : ''} the output against it`,
        input.format === 'csv' ? 'fill the `expected` column for this row' : 'add "expected": "…" to this row, or give the scorer a `value`');
    }
    for (const { a, refs } of caseAsserts) {
      for (const ref of refs) {
        if (ref === 'expected' || ref in c.vars) continue;
        add(c, 'scorer-variable', 'warning', `${where(c)}: scorer ${a.metric ?? a.type} refers to \`{{${ref}}}\`, which this row lacks (it is compared literally)`, `add "${ref}" to this row`);
      }
    }
    // Across rows: duplicate ids and vars.
    const first = byId.get(c.id);
    if (first !== undefined) add(c, 'duplicate-id', 'error', `${where(c)}: the id \`${c.id}\` is used again (first at line ${first})`, 'give every case its own id: runs, comparisons and resume join results on it', input.format === 'csv' ? undefined : 'id');
    else byId.set(c.id, c.source.line);
    const key = stableStringify(c.vars);
    const same = byVars.get(key);
    if (same) add(c, 'duplicate-case', 'warning', `${where(c)}: the same vars as case ${same.id} (line ${same.line})`, 'drop one of them, or vary them: a repeated case counts twice in the pass rate');
    else byVars.set(key, { id: c.id, line: c.source.line });
    // Columns nothing reads (a javascript scorer may read any of them, so then we cannot tell).
    if (checkColumns) {
      for (const k in c.vars) {
        if (seenColumns.has(k)) continue;
        seenColumns.add(k);
        if (used.has(k)) continue;
        const header = input.format === 'csv' ? { line: 1, column: keyColumn(lineText(1), k, 'csv') } : undefined;
        add(c, 'unused-column', 'warning', `\`${k}\` is not used by the prompt or any scorer`, 'remove it, or use it: {{ ' + k + ' }} in the template or a scorer value', header ? undefined : k, header);
      }
    }
  }
  byId.clear();
  byVars.clear();

  // Rendered length: outliers against the median, and the models' context windows.
  const sorted = lengths.filter((l) => l > 0).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  const longest = sorted.length ? sorted[sorted.length - 1] : 0;
  const mayBeOutlier = sorted.length >= 4 && longest > OUTLIER_FACTOR * median && longest - median >= OUTLIER_MIN_EXTRA_CHARS;
  const mayOverflow = input.models.some((m) => {
    const window = contextWindowOf(m.model);
    return window !== undefined && estimateTokensOfLength(longest) + (m.maxTokens ?? 0) > window;
  });
  // A second pass over the rows only when some row is long enough to be reported.
  if (!mayBeOutlier && !mayOverflow) return capPerCode(out);
  let i = -1;
  for (const c of cases) {
    const len = lengths[++i];
    if (!len) continue;
    if (sorted.length >= 4 && len > OUTLIER_FACTOR * median && len - median >= OUTLIER_MIN_EXTRA_CHARS) {
      add(c, 'long-prompt', 'warning', `${where(c)}: the rendered prompt is ${len.toLocaleString('en-US')} characters, ${(len / median).toFixed(1)}× the median row (${median.toLocaleString('en-US')})`,
        'check this row for pasted noise; a long outlier dominates cost and latency');
    }
    for (const m of input.models) {
      const window = contextWindowOf(m.model);
      if (!window) continue;
      const promptTokens = estimateTokensOfLength(len);
      const tokens = promptTokens + (m.maxTokens ?? 0);
      if (tokens > window) {
        add(c, 'context-overflow', 'error', `${where(c)}: the prompt (≈${promptTokens.toLocaleString('en-US')} tokens${m.maxTokens ? ` + ${m.maxTokens} max_tokens` : ''}) does not fit ${m.label}'s ${window.toLocaleString('en-US')}-token context`,
          'shorten this row, or use a model with a larger context');
      }
    }
  }

  return capPerCode(out);
}

/** 1-based column of `"key"` in a JSONL line (or of the header name in a CSV header), else 1. */
function keyColumn(text: string | undefined, key: string, format: DatasetCheckInput['format']): number {
  if (text === undefined) return 1;
  if (format === 'jsonl') {
    const i = text.indexOf(`${JSON.stringify(key)}:`) >= 0 ? text.indexOf(`${JSON.stringify(key)}:`) : text.indexOf(JSON.stringify(key));
    return i >= 0 ? i + 1 : 1;
  }
  if (format === 'csv') {
    let offset = 0;
    for (const cell of text.split(',')) {
      if (cell.replace(/^"|"$/g, '').trim() === key) return offset + 1;
      offset += cell.length + 1;
    }
  }
  return 1;
}

function capPerCode(problems: ValidationProblem[]): ValidationProblem[] {
  const kept: ValidationProblem[] = [];
  const extra = new Map<ValidationCode, { last: ValidationProblem; n: number }>();
  const counts = new Map<ValidationCode, number>();
  for (const p of problems) {
    const n = (counts.get(p.code) ?? 0) + 1;
    counts.set(p.code, n);
    if (n <= MAX_PER_CODE) kept.push(p);
    else extra.set(p.code, { last: p, n: (extra.get(p.code)?.n ?? 0) + 1 });
  }
  for (const [code, { last, n }] of extra) {
    kept.push({ ...last, message: `${n} more rows with ${code} problems (the first ${MAX_PER_CODE} are listed)`, caseIndex: undefined });
  }
  return kept.sort((a, b) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1) || a.line - b.line || a.column - b.column);
}
