// Validate before spending: loads a suite, its dataset and its prompts the way a run would, then
// runs datasetChecks over them. `validateSuiteFile` never throws (the CLI and the editor list what
// it finds); `finishSuiteDataCheck` is the runner's gate: it refuses to plan a run on errors.
import fs from 'node:fs';
import { parseSuite, type LoadedSuite } from '../suiteLoader';
import { datasetFormat, inlineDataset, memoryDataset, parseCsvCases, parseJsonArray, parseJsonl, type LoadedDataset } from '../dataset';
import { FileCaseList } from '../datasetFile';
import { EvalSuiteError, type Diagnostic } from '../diagnostics';
import { parsePromptFile } from '../../prompts/promptFile';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { mergeParams, modelLabel } from '../modelConfig';
import { DatasetChecker, type CheckedModel } from './datasetChecks';
import { countSeverities, type ValidationCode, type ValidationProblem, type ValidationReport } from './problems';

export interface ValidateOptions {
  /** The text of a file as the editor holds it (unsaved edits), else undefined to read the disk. */
  readText?: (file: string) => string | undefined;
}

/** Thrown by the runner's gate; the CLI adds how to skip it (`--no-validate`). */
export class DatasetValidationError extends EvalSuiteError {
  constructor(file: string, readonly problems: ValidationProblem[]) {
    super(file, problems);
    this.name = 'DatasetValidationError';
  }
}

const tag = (ds: Diagnostic[], code: ValidationCode): ValidationProblem[] => ds.map((d) => ({ ...d, code }));

function read(file: string, opts: ValidateOptions): string {
  return opts.readText?.(file) ?? fs.readFileSync(file, 'utf8');
}

function modelsOf(suite: LoadedSuite, prompts: ParsedPrompt[], only?: string[]): CheckedModel[] {
  return suite.spec.models.filter((m) => !only || only.includes(modelLabel(m))).map((m) => {
    const maxTokens = Math.max(0, ...prompts.map((p) => mergeParams(p.model?.parameters, m.params).max_tokens ?? 0));
    return { label: modelLabel(m), model: m.provider === 'openai' || m.provider === 'anthropic' ? m.model : undefined, maxTokens: maxTokens || undefined };
  });
}

type CheckedData = Pick<LoadedDataset, 'cases' | 'format'>;

/** The dataset checks for a suite's rows, fed one row at a time (a run feeds them as its file is read). */
export function suiteDataChecker(suite: LoadedSuite, format: LoadedDataset['format'], prompts: ParsedPrompt[], models?: string[], keepInputTokens = false): DatasetChecker {
  return new DatasetChecker({ format, prompts, scorers: suite.scorers.map((s) => s.spec), models: modelsOf(suite, prompts, models), keepInputTokens });
}

/** A streamed file's lines are read back from disk for the few problems that point at a column; text in memory is split into lines once. */
function lineTextOf(dataset: CheckedData & { text?: string }): ((line: number, caseIndex?: number) => string | undefined) | undefined {
  if (dataset.cases instanceof FileCaseList) {
    const list = dataset.cases;
    return (line, caseIndex) => list.lineText(line, caseIndex);
  }
  if (dataset.text === undefined) return undefined;
  let lines: string[] | undefined;
  const text = dataset.text;
  return (line) => (lines ??= text.split(/\r?\n/))[line - 1];
}

/** The dataset checks on what a run has already loaded. */
export function checkSuiteData(suite: LoadedSuite, dataset: CheckedData & { text?: string }, prompts: ParsedPrompt[], models?: string[]): ValidationProblem[] {
  const checker = suiteDataChecker(suite, dataset.format, prompts, models);
  for (const c of dataset.cases) checker.row(c);
  return checker.finish(dataset.cases, lineTextOf(dataset));
}

/**
 * The runner's gate (runPlan.ts), once `checker` has seen every row of `dataset`: throws
 * DatasetValidationError listing every problem when there is an error.
 */
export function finishSuiteDataCheck(checker: DatasetChecker, dataset: LoadedDataset, suiteFile: string): void {
  const inMemoryText = !(dataset.cases instanceof FileCaseList) && (dataset.format === 'jsonl' || dataset.format === 'csv');
  const text = inMemoryText ? Buffer.from(dataset.snapshot()).toString('utf8') : undefined;
  const problems = checker.finish(dataset.cases, lineTextOf({ ...dataset, text }));
  if (problems.some((p) => p.severity === 'error')) throw new DatasetValidationError(dataset.path ?? suiteFile, problems);
}

/** The gate in one call, for data already loaded: every row checked, then finishSuiteDataCheck. */
export function assertSuiteDataValid(suite: LoadedSuite, dataset: LoadedDataset, prompts: ParsedPrompt[], models?: string[]): void {
  const checker = suiteDataChecker(suite, dataset.format, prompts, models);
  for (const c of dataset.cases) checker.row(c);
  finishSuiteDataCheck(checker, dataset, suite.filePath);
}

function loadCases(file: string, text: string, limit: number | undefined): LoadedDataset {
  const format = datasetFormat(file)!;
  const all = format === 'jsonl' ? parseJsonl(text, file) : format === 'csv' ? parseCsvCases(text, file) : parseJsonArray(text, file);
  return memoryDataset(limit !== undefined ? all.slice(0, limit) : all, { hash: '', raw: new Uint8Array(), fileName: file, format, path: file });
}

/** Everything wrong with a suite and its data, suite problems first; never throws. */
export function validateSuiteFile(suiteFile: string, opts: ValidateOptions = {}): ValidationReport {
  let promptPaths: string[] | undefined;
  const report = (problems: ValidationProblem[], caseCount = 0, datasetPath?: string): ValidationReport =>
    ({ suiteFile, caseCount, datasetPath, promptPaths, problems, ...countSeverities(problems) });
  let suite: LoadedSuite;
  try {
    suite = parseSuite(read(suiteFile, opts), suiteFile);
  } catch (e) {
    if (e instanceof EvalSuiteError) return report(tag(e.diagnostics, 'suite'));
    return report([{ file: suiteFile, line: 1, column: 1, severity: 'error', code: 'suite', message: (e as Error).message }]);
  }
  promptPaths = suite.promptPaths;
  const suiteProblems = tag(suite.warnings, 'suite');
  let dataset: CheckedData & { text?: string };
  try {
    if (suite.inlineCases) {
      dataset = inlineDataset(suite.inlineCases);
    } else {
      const text = read(suite.datasetPath!, opts);
      dataset = { ...loadCases(suite.datasetPath!, text, suite.datasetLimit), text };
    }
  } catch (e) {
    if (e instanceof EvalSuiteError) return report([...suiteProblems, ...tag(e.diagnostics, 'dataset')], 0, suite.datasetPath);
    const file = suite.datasetPath ?? suiteFile;
    return report([...suiteProblems, { file, line: 1, column: 1, severity: 'error', code: 'dataset', message: `cannot read dataset: ${(e as Error).message}` }], 0, suite.datasetPath);
  }
  const prompts = suite.promptPaths.map((p) => parsePromptFile(read(p, opts), p));
  return report([...suiteProblems, ...checkSuiteData(suite, dataset, prompts)], dataset.cases.length, suite.datasetPath);
}
