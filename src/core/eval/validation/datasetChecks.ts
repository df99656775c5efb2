// The checks run before any model is called, on data already in memory: the cases, the parsed
// prompts, the scorer specs and what is known of the models. Pure (no I/O): validateSuite.ts
// loads things and hands them here. Each problem sits at its row: the JSONL line, the CSV row's
// first line, or the inline case's line in the suite.
//
// A DatasetChecker takes the rows one at a time, so a run checks each row as its dataset file is
// read (datasetFile.ts hands it every case it parses) instead of reading the file back a second
// time. What depends on every row (the variables a case's own scorers refer to, a javascript
// scorer anywhere) is settled in finish(), which also places each problem on its line.
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

/** What the checks know before the first row: the same for every row. */
export interface DatasetCheckSetup {
  format: 'jsonl' | 'csv' | 'json' | 'inline';
  prompts: ParsedPrompt[];
  /** Suite-wide scorers (each case's own `assert:` is read from the case). */
  scorers: AssertSpec[];
  models: CheckedModel[];
  /**
   * Keep each row's estimated input tokens per prompt (what the cost estimate needs): the check
   * renders every case anyway, so the estimate does not render them all a second time.
   */
  keepInputTokens?: boolean;
}

export interface DatasetCheckInput extends DatasetCheckSetup {
  /** Read in order, twice at most (a streamed file is parsed again each time, never held). */
  cases: CaseList;
  /** The dataset's text of a line (JSONL/CSV), to point at columns; given the case that sits there. */
  lineText?: (line: number, caseIndex?: number) => string | undefined;
  /** Filled as DatasetChecker.inputTokens (same order as `prompts`, one entry per row). */
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

/** Every problem of a dataset in one call: the rows in order, then finish(). */
export function checkDataset(input: DatasetCheckInput): ValidationProblem[] {
  const checker = new DatasetChecker({ ...input, keepInputTokens: input.keepInputTokens ?? input.inputTokens !== undefined });
  for (const c of input.cases) checker.row(c);
  const problems = checker.finish(input.cases, input.lineText);
  if (input.inputTokens) checker.inputTokens().forEach((t, k) => input.inputTokens![k].set(t.subarray(0, input.inputTokens![k].length)));
  return problems;
}

type ProblemArgs = [c: EvalCase | undefined, code: ValidationCode, severity: Severity, message: string, hint: string, key?: string, at?: { line: number; column: number }];

/** A problem found at a row, placed on its line in finish(); `keep` decides then whether it stands. */
interface Found { args: ProblemArgs; keep?: () => boolean }

export class DatasetChecker {
  private readonly found: Found[] = [];
  private readonly lengths: number[] = [];
  private readonly tokens: number[][];
  private readonly suiteRefs: { a: AssertSpec; refs: string[] }[];
  private readonly suiteNeeding: AssertSpec[];
  /** Variables the prompts and the suite's scorers use; finish() adds what the cases' own scorers use. */
  private readonly used: Set<string>;
  private hasCodeScorer: boolean;
  private readonly byId = new Map<string, number>();
  private readonly byVars = new Map<string, { id: string; line: number }>();
  private readonly seenColumns = new Set<string>();
  private readonly multiPrompt: boolean;
  private rows = 0;

  constructor(private readonly setup: DatasetCheckSetup) {
    const { prompts, scorers } = setup;
    this.tokens = setup.keepInputTokens ? prompts.map(() => []) : [];
    this.hasCodeScorer = scorers.some((a) => splitType(a.type).base === 'javascript');
    this.used = new Set<string>([
      ...prompts.flatMap((p) => [...p.variables, ...p.inputs.map((i) => i.name)]),
      ...scorers.flatMap((a) => refsOf(a.value)),
    ]);
    // The suite's scorers are the same for every row: their references are worked out once.
    this.suiteRefs = scorers.map((a) => ({ a, refs: refsOf(a.value) }));
    this.suiteNeeding = scorers.filter(needsExpected);
    this.multiPrompt = prompts.length > 1;
  }

  /**
   * One row: rendering, types, blanks, expected, scorer references, duplicate ids and vars,
   * columns nothing reads. Only an id, a line and a vars key are kept per row, and the rows that
   * have a problem.
   */
  row(c: EvalCase): void {
    const { prompts, format } = this.setup;
    const row = this.rows++;
    const add = (...args: ProblemArgs) => { this.found.push({ args }); };
    const where = `case ${c.id}`;
    let longest = 0;
    for (let pi = 0; pi < prompts.length; pi++) {
      const p = prompts[pi];
      try {
        // The row's own values, without the prompt's sample: a row that lacks a variable is an
        // error even when the sample has one (it would silently run on the sample's text).
        const rendered = renderPrompt(p, c.vars);
        longest = Math.max(longest, rendered.text.length);
        // The run renders vars over the sample: the same text unless the row lacks a sample key.
        if (this.tokens.length) this.tokens[pi][row] = rendersAsRun(p, c.vars) ? estimateMessageTokens(rendered.messages) : NOT_RENDERED;
      } catch (e) {
        if (this.tokens.length) this.tokens[pi][row] = NOT_RENDERED;
        if (e instanceof MissingVariableError) {
          const names = e.variables.map((v) => `\`${v}\``).join(', ');
          add(c, 'missing-variable', 'error', `${where}: no value for ${names}, which the template${this.promptName(p)} needs`,
            `add ${e.variables.length > 1 ? 'them' : 'it'} to this row (${e.variables.map((v) => `"${v}": …`).join(', ')}), or give the input a default in the prompt`);
        } else if (e instanceof PromptRenderError) {
          add(c, 'render-error', 'error', `${where}: the prompt${this.promptName(p)} does not render: ${e.message}`, 'fix the value in this row or the template expression');
        } else throw e;
      }
      for (const inp of p.inputs) {
        if (!inp.type || !(inp.name in c.vars)) continue;
        const m = checkInputType(inp.name, inp.type, c.vars[inp.name], format === 'csv');
        if (m) add(c, 'input-type', m.severity, `${where}: ${m.message}${this.promptName(p)}`, m.hint, inp.name);
      }
    }
    this.lengths.push(longest);
    const own = c.assert;
    if (own?.length) {
      // What the case's own scorers use counts for every row (finish() settles the rows before).
      for (const a of own) {
        if (splitType(a.type).base === 'javascript') this.hasCodeScorer = true;
        for (const ref of refsOf(a.value)) this.used.add(ref);
      }
    }
    for (const k in c.vars) {
      const v = c.vars[k];
      if (!isBlank(v)) continue;
      this.found.push({
        args: [c, 'blank-value', 'warning', `${where}: \`${k}\` is ${v === null ? 'null' : 'empty'}`, 'fill it in, or drop the row if it is not a real case', k],
        keep: () => this.hasCodeScorer || this.used.has(k),
      });
    }
    const caseAsserts = own?.length ? [...this.suiteRefs, ...own.map((a) => ({ a, refs: refsOf(a.value) }))] : this.suiteRefs;
    const needing = own?.length ? [...this.suiteNeeding, ...own.filter(needsExpected)] : this.suiteNeeding;
    if (needing.length && (c.expected === undefined || isBlank(c.expected))) {
      const names = [...new Set(needing.map((a) => a.metric ?? a.type))].join(', ');
      add(c, 'missing-expected', 'error', `${where}: no \`expected\`, but ${names} compare${needing.length === 1 ? 's' : ''} the output against it`,
        format === 'csv' ? 'fill the `expected` column for this row' : 'add "expected": "…" to this row, or give the scorer a `value`');
    }
    for (const { a, refs } of caseAsserts) {
      for (const ref of refs) {
        if (ref === 'expected' || ref in c.vars) continue;
        add(c, 'scorer-variable', 'warning', `${where}: scorer ${a.metric ?? a.type} refers to \`{{${ref}}}\`, which this row lacks (it is compared literally)`, `add "${ref}" to this row`);
      }
    }
    // Across rows: duplicate ids and vars.
    const first = this.byId.get(c.id);
    if (first !== undefined) add(c, 'duplicate-id', 'error', `${where}: the id \`${c.id}\` is used again (first at line ${first})`, 'give every case its own id: runs, comparisons and resume join results on it', format === 'csv' ? undefined : 'id');
    else this.byId.set(c.id, c.source.line);
    const key = stableStringify(c.vars);
    const same = this.byVars.get(key);
    if (same) add(c, 'duplicate-case', 'warning', `${where}: the same vars as case ${same.id} (line ${same.line})`, 'drop one of them, or vary them: a repeated case counts twice in the pass rate');
    else this.byVars.set(key, { id: c.id, line: c.source.line });
    // Columns nothing reads (a javascript scorer may read any of them, so then we cannot tell).
    if (prompts.length > 0) {
      for (const k in c.vars) {
        if (this.seenColumns.has(k)) continue;
        this.seenColumns.add(k);
        this.found.push({
          args: [c, 'unused-column', 'warning', `\`${k}\` is not used by the prompt or any scorer`, 'remove it, or use it: {{ ' + k + ' }} in the template or a scorer value', k],
          keep: () => !this.hasCodeScorer && !this.used.has(k),
        });
      }
    }
  }

  /** Per prompt (same order), each row's estimated input tokens; NOT_RENDERED where the check's render is not the run's (the row lacks a key of the prompt's sample, or does not render): the estimate renders those rows itself. */
  inputTokens(): Uint32Array[] {
    return this.tokens.map((t) => Uint32Array.from(t));
  }

  /**
   * The problems, each on its line (a streamed file's lines are read back for the few that point
   * at a column), after the checks that need every row's rendered length: outliers against the
   * median, and the models' context windows. `cases` is read again only when some row is long
   * enough to be reported.
   */
  finish(cases: CaseList, lineText: (line: number, caseIndex?: number) => string | undefined = () => undefined): ValidationProblem[] {
    const { format, models } = this.setup;
    this.byId.clear();
    this.byVars.clear();
    const out: ValidationProblem[] = [];
    const add = (...[c, code, severity, message, hint, key, at]: ProblemArgs) => {
      const line = at?.line ?? c?.source.line ?? 1;
      const text = lineText(line, at ? undefined : c?.index);
      const column = at?.column ?? (key !== undefined ? keyColumn(text, key, format) : 1);
      const endColumn = key !== undefined && column > 1 ? column + JSON.stringify(key).length : text !== undefined && format !== 'inline' ? Math.max(2, text.length + 1) : undefined;
      out.push({ file: c?.source.file ?? '', line, column, endLine: endColumn !== undefined ? line : undefined, endColumn, severity, message, hint, code, caseIndex: c?.index });
    };
    for (const f of this.found) {
      if (f.keep && !f.keep()) continue;
      const [c, code, severity, message, hint, key] = f.args;
      // An unused column points at its header name in a CSV file.
      if (code === 'unused-column' && format === 'csv') add(c, code, severity, message, hint, undefined, { line: 1, column: keyColumn(lineText(1), key!, 'csv') });
      else add(...f.args);
    }

    const lengths = this.lengths;
    const sorted = lengths.filter((l) => l > 0).sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
    const longest = sorted.length ? sorted[sorted.length - 1] : 0;
    const mayBeOutlier = sorted.length >= 4 && longest > OUTLIER_FACTOR * median && longest - median >= OUTLIER_MIN_EXTRA_CHARS;
    const mayOverflow = models.some((m) => {
      const window = contextWindowOf(m.model);
      return window !== undefined && estimateTokensOfLength(longest) + (m.maxTokens ?? 0) > window;
    });
    if (!mayBeOutlier && !mayOverflow) return capPerCode(out);
    let i = -1;
    for (const c of cases) {
      const len = lengths[++i];
      if (!len) continue;
      if (sorted.length >= 4 && len > OUTLIER_FACTOR * median && len - median >= OUTLIER_MIN_EXTRA_CHARS) {
        add(c, 'long-prompt', 'warning', `case ${c.id}: the rendered prompt is ${len.toLocaleString('en-US')} characters, ${(len / median).toFixed(1)}× the median row (${median.toLocaleString('en-US')})`,
          'check this row for pasted noise; a long outlier dominates cost and latency');
      }
      for (const m of models) {
        const window = contextWindowOf(m.model);
        if (!window) continue;
        const promptTokens = estimateTokensOfLength(len);
        const tokens = promptTokens + (m.maxTokens ?? 0);
        if (tokens > window) {
          add(c, 'context-overflow', 'error', `case ${c.id}: the prompt (≈${promptTokens.toLocaleString('en-US')} tokens${m.maxTokens ? ` + ${m.maxTokens} max_tokens` : ''}) does not fit ${m.label}'s ${window.toLocaleString('en-US')}-token context`,
            'shorten this row, or use a model with a larger context');
        }
      }
    }
    return capPerCode(out);
  }

  private promptName(p: ParsedPrompt): string {
    return this.multiPrompt ? ` (${path.basename(p.filePath)})` : '';
  }
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
