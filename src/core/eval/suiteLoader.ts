// Reads a `*.eval.yaml` suite: YAML (with node ranges) → zod validation → file and scorer checks.
// Every problem becomes a Diagnostic with file, line, column and a fix hint, so the CLI prints
// `suite.eval.yaml:12:5: …` and the extension can put the same list in the Problems panel.
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { suiteSchema, assertSchema, modelSchema, caseSchema, ASSERT_TYPES, type AssertSpec, type SuiteSpec } from './suiteSchema';
import { EvalSuiteError, closest, type Diagnostic } from './diagnostics';
import { createScorer, defaultScorerName } from './scorers/createScorer';
import type { Scorer } from './scorers/types';
import { ScorerConfigError } from './scorers/types';
import { datasetFormat, fromSpec, inlineDataset, loadDatasetFile, type EvalCase, type LoadedDataset } from './dataset';

export interface SuiteScorer {
  spec: AssertSpec;
  scorer: Scorer;
}

export interface LoadedSuite {
  /** Absolute path of the suite file. */
  filePath: string;
  baseDir: string;
  /** File name without `.eval.yaml` (the default experiment name). */
  name: string;
  spec: SuiteSpec;
  /** Absolute prompt paths, in suite order. */
  promptPaths: string[];
  /** Suite-wide scorers with de-duplicated names. */
  scorers: SuiteScorer[];
  experiment: string;
  /** Inline cases (already parsed), when the dataset is inline. */
  inlineCases?: EvalCase[];
  /** Absolute dataset path, when the dataset is a file. */
  datasetPath?: string;
  datasetLimit?: number;
  /** Non-fatal findings (severity 'warning'). */
  warnings: Diagnostic[];
}

export function suiteNameOf(filePath: string): string {
  return path.basename(filePath).replace(/\.eval\.ya?ml$/i, '').replace(/\.ya?ml$/i, '');
}

type PathKey = string | number;

/** The YAML node at `p`, or the deepest existing ancestor (for a missing key), plus the pair's key node. */
function nodeAt(doc: Document, p: readonly PropertyKey[]): { node?: YamlNode; keyNode?: YamlNode; exact: boolean } {
  let node: unknown = doc.contents;
  let keyNode: YamlNode | undefined;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) return { node: node as YamlNode, keyNode, exact: false };
      keyNode = pair.key as YamlNode;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      keyNode = undefined;
    } else {
      return { node: node as YamlNode | undefined, keyNode, exact: false };
    }
  }
  return { node: node as YamlNode | undefined, keyNode, exact: true };
}

function keyNodeOf(doc: Document, p: readonly PropertyKey[], key: string): YamlNode | undefined {
  const { node } = nodeAt(doc, p);
  if (!isMap(node)) return undefined;
  const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
  return pair?.key as YamlNode | undefined;
}

class Positioner {
  constructor(private readonly lc: LineCounter, private readonly file: string) {}
  at(node: YamlNode | undefined, message: string, hint?: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
    const range = node?.range;
    const start = this.lc.linePos(range ? range[0] : 0);
    const end = this.lc.linePos(range ? range[1] : 0);
    return { file: this.file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col, message, hint, severity };
  }
}

const KEY_EXAMPLES: Record<string, string> = {
  prompt: 'add `prompt: prompts/summarize.prompty` (a path relative to this file)',
  dataset: 'add `dataset: datasets/cases.jsonl` or `dataset: {cases: [{vars: {text: "…"}}]}`',
  model: 'add `model: gpt-4o-mini`',
  command: 'add `command: python` (and `args: [my_app.py]`)',
  type: `add \`type: contains\` (one of ${ASSERT_TYPES.slice(0, 6).join(', ')}, …)`,
  provider: 'add `provider: openai` (or anthropic, command, echo)',
  vars: 'add `vars: {name: value}`',
};

function keysOfSchema(p: readonly PropertyKey[], data: unknown): string[] {
  const shapeKeys = (s: z.ZodType): string[] => Object.keys((s as unknown as { shape?: Record<string, unknown> }).shape ?? {});
  if (p.length === 0) return shapeKeys(suiteSchema);
  const head = p[0];
  if ((head === 'scorers' || head === 'assert') && p.length === 2) return shapeKeys(assertSchema);
  if (head === 'models' && p.length === 2) {
    const provider = (getIn(data, p) as { provider?: string } | undefined)?.provider;
    const opt = modelSchema.options.find((o) => (o.shape.provider as { value?: string }).value === provider);
    return opt ? Object.keys(opt.shape) : [];
  }
  if (head === 'dataset' && p.length === 1) return ['path', 'limit', 'cases'];
  if (head === 'dataset' && p[1] === 'cases' && p.length === 3) return shapeKeys(caseSchema);
  return [];
}

function getIn(data: unknown, p: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const seg of p) cur = cur && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[seg] : undefined;
  return cur;
}

function zodIssueToDiagnostic(issue: z.core.$ZodIssue, doc: Document, pos: Positioner, data: unknown): Diagnostic[] {
  const where = issue.path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = keysOfSchema(issue.path, data);
    return issue.keys.map((k) => {
      const guess = closest(k, known);
      return pos.at(keyNodeOf(doc, issue.path, k), `unknown key \`${k}\`${issue.path.length ? ` in ${where}` : ''}`,
        guess ? `did you mean \`${guess}\`?` : `remove it; allowed keys: ${known.join(', ')}`);
    });
  }
  const { node, keyNode, exact } = nodeAt(doc, issue.path);
  const last = String(issue.path[issue.path.length - 1] ?? '');
  if (!exact || (issue.code === 'invalid_type' && issue.message.endsWith('received undefined'))) {
    return [pos.at(node, `missing \`${last}\`${issue.path.length > 1 ? ` in ${issue.path.slice(0, -1).join('.')}` : ''}`, KEY_EXAMPLES[last] ?? `add \`${last}:\``)];
  }
  if (issue.code === 'invalid_value' && last === 'type') {
    const value = String(getIn(data, issue.path));
    const guess = closest(value, issue.values.map(String));
    return [pos.at(node, `unknown scorer type \`${value}\``, guess ? `did you mean \`${guess}\`?` : `use one of ${ASSERT_TYPES.join(', ')} (or not-<type>)`)];
  }
  if (issue.code === 'invalid_union' && (issue as { discriminator?: string }).discriminator === 'provider') {
    const value = String(getIn(data, issue.path));
    const guess = closest(value, ['openai', 'anthropic', 'command', 'echo']);
    return [pos.at(node, `unknown provider \`${value}\``, guess ? `did you mean \`${guess}\`?` : 'use openai, anthropic, command or echo')];
  }
  if (issue.code === 'invalid_union' && last === 'prompt') {
    return [pos.at(node, '`prompt` must be a path or a list of paths', KEY_EXAMPLES.prompt)];
  }
  if (issue.code === 'invalid_union' && last === 'dataset') {
    return [pos.at(node, '`dataset` must be a path, {path: …} or {cases: […]}', KEY_EXAMPLES.dataset)];
  }
  return [pos.at(node ?? keyNode, `${where}: ${issue.message}`)];
}

function byPosition(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.line - b.line || a.column - b.column);
}

export interface ParseSuiteOptions {
  /** Check that prompt and dataset files exist (default true). */
  checkFiles?: boolean;
}

/** All problems in a suite's text, for the Problems panel; never throws. */
export function validateSuiteText(text: string, filePath: string, opts: ParseSuiteOptions = {}): Diagnostic[] {
  try {
    return parseSuite(text, filePath, opts).warnings;
  } catch (err) {
    if (err instanceof EvalSuiteError) return err.diagnostics;
    return [{ file: filePath, line: 1, column: 1, severity: 'error', message: (err as Error).message }];
  }
}

/** Parses and validates a suite; throws EvalSuiteError listing every problem found. */
export function parseSuite(text: string, filePath: string, opts: ParseSuiteOptions = {}): LoadedSuite {
  const file = path.resolve(filePath);
  const baseDir = path.dirname(file);
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const pos = new Positioner(lc, file);

  if (doc.errors.length) {
    throw new EvalSuiteError(file, doc.errors.map((e) => {
      const p = e.linePos?.[0] ?? { line: 1, col: 1 };
      return { file, line: p.line, column: p.col, severity: 'error' as const, message: `YAML: ${e.message.split('\n')[0]}`, hint: 'check indentation and quoting (strings with `: ` or `#` need quotes)' };
    }));
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    throw new EvalSuiteError(file, [pos.at(doc.contents ?? undefined, 'an eval suite is a YAML mapping', 'start with `prompt:`, `dataset:`, `models:` and `scorers:` keys')]);
  }
  const parsed = suiteSchema.safeParse(data);
  if (!parsed.success) {
    throw new EvalSuiteError(file, byPosition(parsed.error.issues.flatMap((i) => zodIssueToDiagnostic(i, doc, pos, data))));
  }
  const spec = parsed.data;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const checkFiles = opts.checkFiles ?? true;

  // prompts
  const promptList = Array.isArray(spec.prompt) ? spec.prompt : [spec.prompt];
  const promptPaths = promptList.map((p, i) => {
    const abs = path.resolve(baseDir, p);
    if (checkFiles && !fs.existsSync(abs)) {
      const { node } = nodeAt(doc, Array.isArray(spec.prompt) ? ['prompt', i] : ['prompt']);
      errors.push(pos.at(node, `prompt file not found: ${p}`, `paths are relative to ${path.basename(file)}'s folder (${baseDir})`));
    }
    return abs;
  });

  // dataset
  let datasetPath: string | undefined;
  let datasetLimit: number | undefined;
  let inlineCases: EvalCase[] | undefined;
  if (typeof spec.dataset === 'string' || 'path' in spec.dataset) {
    const rel = typeof spec.dataset === 'string' ? spec.dataset : spec.dataset.path;
    datasetLimit = typeof spec.dataset === 'string' ? undefined : spec.dataset.limit;
    datasetPath = path.resolve(baseDir, rel);
    const { node } = nodeAt(doc, typeof spec.dataset === 'string' ? ['dataset'] : ['dataset', 'path']);
    if (!datasetFormat(datasetPath)) errors.push(pos.at(node, `unsupported dataset format: ${rel}`, 'use a .jsonl, .csv or .json file'));
    else if (checkFiles && !fs.existsSync(datasetPath)) errors.push(pos.at(node, `dataset file not found: ${rel}`, `paths are relative to ${path.basename(file)}'s folder (${baseDir})`));
  } else {
    inlineCases = spec.dataset.cases.map((c, i) => {
      const { node } = nodeAt(doc, ['dataset', 'cases', i]);
      return fromSpec(c, i, file, node?.range ? lc.linePos(node.range[0]).line : 1);
    });
    inlineCases.forEach((c, i) => {
      for (const [j, a] of (c.assert ?? []).entries()) checkScorer(a, ['dataset', 'cases', i, 'assert', j]);
    });
  }

  // scorers
  if (spec.scorers && spec.assert) {
    errors.push(pos.at(keyNodeOf(doc, [], 'assert'), 'use either `scorers` or `assert`, not both', 'move these entries under `scorers`'));
  }
  const scorerKey = spec.scorers ? 'scorers' : 'assert';
  const scorerSpecs = spec.scorers ?? spec.assert ?? [];
  const names = uniqueScorerNames(scorerSpecs);
  const scorers: SuiteScorer[] = [];
  scorerSpecs.forEach((s, i) => {
    const scorer = checkScorer(s, [scorerKey, i], names[i]);
    if (scorer) scorers.push({ spec: s, scorer });
  });
  if (scorerSpecs.length === 0 && !inlineCases?.some((c) => c.assert?.length)) {
    warnings.push(pos.at(keyNodeOf(doc, [], 'dataset'), 'no scorers: every case passes unless the model call fails', 'add `scorers:` with e.g. `- type: contains`', 'warning'));
  }
  if (spec.pass_at_k && spec.pass_at_k.some((k) => k > (spec.repeat ?? 1))) {
    errors.push(pos.at(nodeAt(doc, ['pass_at_k']).node, 'pass_at_k values cannot exceed `repeat`', `raise repeat to at least ${Math.max(...spec.pass_at_k)}`));
  }

  // thresholds name metrics: warn about ones no scorer produces
  const known = new Set(['pass_rate', ...names, ...names.map((n) => `${n}/mean`), 'error_count', 'cache_hit_rate', 'latency_ms/p50', 'latency_ms/p95', 'latency_ms/max', 'cost_usd/total', 'tokens/input_total', 'tokens/output_total']);
  for (const k of spec.pass_at_k ?? []) known.add(`pass_at_${k}`);
  if ((spec.repeat ?? 1) > 1) { known.add('pass_at_1'); known.add(`pass_at_${spec.repeat}`); }
  for (const key of Object.keys(spec.thresholds ?? {})) {
    if (!known.has(key) && !inlineCases?.some((c) => c.assert?.some((a) => defaultScorerName(a) === key.replace(/\/mean$/, '')))) {
      const guess = closest(key, [...known]);
      warnings.push(pos.at(keyNodeOf(doc, ['thresholds'], key), `threshold \`${key}\` names no metric this suite produces`, guess ? `did you mean \`${guess}\`?` : `known: ${[...known].join(', ')}`, 'warning'));
    }
  }

  if (errors.length) throw new EvalSuiteError(file, byPosition([...errors, ...warnings]));
  const name = suiteNameOf(file);
  return { filePath: file, baseDir, name, spec, promptPaths, scorers, experiment: spec.experiment ?? name, inlineCases, datasetPath, datasetLimit, warnings };

  function checkScorer(s: AssertSpec, at: PathKey[], name?: string): Scorer | undefined {
    try {
      return createScorer(s, { baseDir, name });
    } catch (err) {
      if (err instanceof ScorerConfigError) {
        const onValue = nodeAt(doc, [...at, 'value']);
        errors.push(pos.at(onValue.exact ? onValue.node : nodeAt(doc, at).node, err.message, err.hint));
        return undefined;
      }
      throw err;
    }
  }
}

/** Default names, with `_2`, `_3`… for repeats so every scorer gets its own metric. */
export function uniqueScorerNames(specs: AssertSpec[]): string[] {
  const seen = new Map<string, number>();
  return specs.map((s) => {
    const base = defaultScorerName(s);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

export function loadSuite(filePath: string, opts: ParseSuiteOptions = {}): LoadedSuite {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    const file = path.resolve(filePath);
    throw new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: `cannot read suite: ${(err as Error).message}`, hint: 'check the path' }]);
  }
  return parseSuite(text, filePath, opts);
}

/** The suite's cases: the inline list or the dataset file (errors carry the dataset's line numbers). */
export function loadSuiteDataset(suite: LoadedSuite): LoadedDataset {
  if (suite.inlineCases) return inlineDataset(suite.inlineCases);
  return loadDatasetFile(suite.datasetPath!, suite.datasetLimit);
}
