import type { ZodType } from 'zod';
import type { core } from 'zod';
import { splitFrontmatter } from './frontmatter';
import {
  collectSample,
  detectPromptyVersion,
  isRecord,
  normalizeInputs,
  normalizeModel,
  promptyEngine,
  promptyVersionSignals,
} from './promptNormalize';
import type { DeclaredInput, VersionSignal } from './promptNormalize';
import { PROMPTY_V1_KEYS, promptyV1Schema, promptyV2Schema, templateFrontmatterSchema } from './promptSchemas';
import type { ParsedPrompt, PromptDiagnostic, PromptFormat, TemplateEngine } from './promptTypes';
import { checkTemplateSyntax } from './templateSyntax';
import { findVariableUsages, uniqueNames } from './templateVariables';
import { parseFrontmatterYaml, rangeForPath } from './yamlDocument';
import type { FileRange, FrontmatterYaml } from './yamlDocument';

type Path = (string | number)[];

/** Parses a `.prompty` (v1 or v2) or a template file. Never throws: problems become diagnostics. */
export function parsePromptFile(text: string, filePath: string): ParsedPrompt {
  try {
    return parse(text, filePath);
  } catch (err) {
    // A bug of ours must not take the editor down with it; say so on line 1.
    return {
      format: isPromptyPath(filePath) ? 'prompty-v2' : 'template',
      name: baseName(filePath),
      frontmatter: {},
      body: text,
      bodyStartLine: 0,
      inputs: [],
      templateEngine: isPromptyPath(filePath) ? 'jinja2' : 'mlflow',
      variables: [],
      filePath,
      diagnostics: [
        { message: `Could not read ${filePath}: ${(err as Error).message}`, severity: 'error', line: 0, column: 0, endLine: 0, endColumn: 1, code: 'internal' },
      ],
    };
  }
}

function parse(text: string, filePath: string): ParsedPrompt {
  const diagnostics: PromptDiagnostic[] = [];
  const split = splitFrontmatter(text);
  if (split.unterminated) {
    const delimiter = text.replace(/^\uFEFF/, '').slice(0, 3);
    diagnostics.push({
      message: `Frontmatter opened with '${delimiter}' on line 1 is never closed: add a line containing only '${delimiter}' after the YAML.`,
      severity: 'error',
      code: 'unterminated-frontmatter',
      line: 0,
      column: 0,
      endLine: 0,
      endColumn: split.openingLength,
    });
  }

  let frontmatter: Record<string, unknown> = {};
  let yaml: FrontmatterYaml | undefined;
  if (split.frontmatterText !== undefined) {
    yaml = parseFrontmatterYaml(split.frontmatterText, split.frontmatterStartLine);
    diagnostics.push(...yaml.diagnostics);
    if (isRecord(yaml.data)) frontmatter = yaml.data;
    else if (yaml.data !== null && yaml.data !== undefined) {
      const found = Array.isArray(yaml.data) ? 'a list' : `a ${typeof yaml.data}`;
      diagnostics.push({
        ...rangeForPath(yaml, []),
        severity: 'error',
        code: 'frontmatter-not-object',
        message: `Frontmatter must be a YAML mapping of 'key: value' lines, but it is ${found}. Write fields such as 'name: my-prompt'.`,
      });
    }
  }

  const prompty = isPromptyPath(filePath);
  const signals = prompty ? promptyVersionSignals(frontmatter) : [];
  const format: PromptFormat = prompty ? detectPromptyVersion(signals) : 'template';

  // With YAML errors the data is a partial guess; type and field checks would only add noise.
  if (yaml && isRecord(yaml.data) && !yaml.diagnostics.some((d) => d.severity === 'error')) {
    const y = yaml;
    diagnostics.push(...schemaDiagnostics(y, frontmatter, format));
    if (format === 'prompty-v1') diagnostics.push(...unknownV1Fields(y, frontmatter));
    if (prompty) diagnostics.push(...mixedVersionDiagnostics(y, signals, format));
  }

  const declared = normalizeInputs(frontmatter.inputs);
  const inputs = declared.map((d) => d.input);
  if (yaml) diagnostics.push(...duplicateInputs(yaml, declared));
  const templateEngine: TemplateEngine = prompty ? promptyEngine(frontmatter.template) : 'mlflow';

  const body = split.body;
  const syntax = checkTemplateSyntax(body, templateEngine, split.bodyStartLine);
  for (const problem of syntax) {
    diagnostics.push({
      message: problem.message,
      severity: 'error',
      code: 'template-syntax',
      line: problem.line + split.bodyStartLine,
      column: problem.column,
      endLine: problem.endLine + split.bodyStartLine,
      endColumn: problem.endColumn,
    });
  }
  const usages = findVariableUsages(body, templateEngine);
  const variables = uniqueNames(usages);

  // Declarations are only meaningful when the frontmatter could be read and the author declares
  // inputs (always expected for .prompty; opt-in for plain templates).
  const yamlReadable = yaml !== undefined && isRecord(yaml.data) && !split.unterminated;
  const checkDeclarations = yamlReadable && (prompty || 'inputs' in frontmatter);
  if (checkDeclarations) {
    const known = new Set([...inputs.map((i) => i.name), ...(isRecord(frontmatter.sample) ? Object.keys(frontmatter.sample) : [])]);
    for (const usage of usages) {
      if (known.has(usage.name)) continue;
      const line = usage.line + split.bodyStartLine;
      diagnostics.push({
        message: undeclaredMessage(usage.name, [...known]),
        severity: 'warning',
        code: 'undeclared-variable',
        line,
        column: usage.column,
        endLine: line,
        endColumn: usage.column + usage.name.length,
      });
    }
    if (syntax.length === 0 && yaml) {
      const used = new Set(variables);
      for (const d of declared) {
        if (used.has(d.input.name)) continue;
        diagnostics.push({
          ...rangeForPath(yaml, d.path, d.target),
          severity: 'warning',
          code: 'unused-input',
          message: `Input '${d.input.name}' is declared but never used in the template: reference it as {{ ${d.input.name} }} in the body, or remove it.`,
        });
      }
    }
  }

  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  const name = typeof frontmatter.name === 'string' && frontmatter.name.trim() ? frontmatter.name : baseName(filePath);
  const parsed: ParsedPrompt = {
    format,
    name,
    frontmatter,
    body,
    bodyStartLine: split.bodyStartLine,
    inputs,
    templateEngine,
    variables,
    diagnostics,
    filePath,
  };
  if (typeof frontmatter.description === 'string') parsed.description = frontmatter.description;
  const model = normalizeModel(format, frontmatter.model);
  if (model) parsed.model = model;
  const sample = collectSample(frontmatter.sample, inputs);
  if (sample) parsed.sample = sample;
  return parsed;
}

export function isPromptyPath(filePath: string): boolean {
  return /\.prompty$/i.test(filePath);
}

function baseName(filePath: string): string {
  const file = filePath.split(/[\\/]/).pop() ?? filePath;
  return file.replace(/\.(prompty|md|txt)$/i, '') || file;
}

const SCHEMAS: Record<PromptFormat, ZodType> = {
  'prompty-v1': promptyV1Schema,
  'prompty-v2': promptyV2Schema,
  template: templateFrontmatterSchema,
};

function schemaDiagnostics(yaml: FrontmatterYaml, data: Record<string, unknown>, format: PromptFormat): PromptDiagnostic[] {
  const result = SCHEMAS[format].safeParse(data);
  if (result.success) return [];
  const diagnostics: PromptDiagnostic[] = [];
  for (const issue of result.error.issues.flatMap((i) => flattenUnion(i, []))) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // Prompty resolves values that are entirely `${env:…}`/`${file:…}` at load time; their type is unknown here.
    const value = valueAt(data, path);
    if (isReference(value)) continue;
    const found = value === undefined ? '' : ` (found ${JSON.stringify(value)?.slice(0, 40)})`;
    const where = path.length > 0 ? `'${path.join('.')}'` : 'Frontmatter';
    diagnostics.push({
      ...rangeForPath(yaml, path),
      severity: 'error',
      code: 'wrong-type',
      message: `${where}: ${issue.message.replace(/^Invalid input: /, '')}${found}. Fix this value.`,
    });
  }
  return diagnostics;
}

/** A union that failed in exactly one plausible branch reports that branch's own issues, with their exact paths. */
function flattenUnion(issue: core.$ZodIssue, prefix: PropertyKey[]): core.$ZodIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }];
  const plausible = issue.errors.filter((branch) => !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0));
  if (plausible.length !== 1) return [{ ...issue, path }];
  return plausible[0].flatMap((sub) => flattenUnion(sub, path));
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && /^\$\{[^}]+\}$/.test(value.trim());
}

function unknownV1Fields(yaml: FrontmatterYaml, fm: Record<string, unknown>): PromptDiagnostic[] {
  const diagnostics: PromptDiagnostic[] = [];
  const check = (obj: unknown, allowed: string[], path: Path, where: string) => {
    if (!isRecord(obj)) return;
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const suggestion = closest(key, allowed);
      diagnostics.push({
        ...rangeForPath(yaml, [...path, key]),
        severity: 'warning',
        code: 'unknown-field',
        message:
          `Unknown field '${key}' in ${where}: Prompty v1 allows only ${allowed.join(', ')}. ` +
          (suggestion ? `Did you mean '${suggestion}'?` : 'Remove it or fix the spelling.'),
      });
    }
  };
  check(fm, PROMPTY_V1_KEYS.root, [], 'the frontmatter');
  check(fm.model, PROMPTY_V1_KEYS.model, ['model'], "'model'");
  for (const section of ['inputs', 'outputs']) {
    const props = fm[section];
    if (!isRecord(props)) continue;
    for (const [name, prop] of Object.entries(props)) check(prop, PROMPTY_V1_KEYS.property, [section, name], `'${section}.${name}'`);
  }
  return diagnostics;
}

const V1_TO_V2: Record<string, string> = {
  api: 'apiType',
  configuration: 'connection',
  parameters: 'options',
  version: 'metadata.version',
  authors: 'metadata.authors',
  tags: 'metadata.tags',
  sample: "each input's default/example",
  type: 'kind',
};

/** Mixing versions usually means a half-migrated file; point at the keys of the minority version. */
function mixedVersionDiagnostics(yaml: FrontmatterYaml, signals: readonly VersionSignal[], format: PromptFormat): PromptDiagnostic[] {
  const majority = format === 'prompty-v1' ? 'v1' : 'v2';
  if (!signals.some((s) => s.version === majority)) return [];
  return signals
    .filter((s) => s.version !== majority)
    .map((s) => {
      const key = String(s.path[s.path.length - 1]);
      const hint = majority === 'v2' && V1_TO_V2[key] ? ` Prompty v2 spells it '${V1_TO_V2[key]}'.` : ' Use one Prompty version throughout the file.';
      return {
        ...rangeForPath(yaml, s.path),
        severity: 'info' as const,
        code: 'mixed-version',
        message: `'${s.path.join('.')}' is Prompty ${s.version} style, but this file reads as ${majority}.${hint}`,
      };
    });
}

function duplicateInputs(yaml: FrontmatterYaml, declared: readonly DeclaredInput[]): PromptDiagnostic[] {
  const seen = new Set<string>();
  const diagnostics: PromptDiagnostic[] = [];
  for (const d of declared) {
    if (seen.has(d.input.name)) {
      const range: FileRange = rangeForPath(yaml, d.path, d.target);
      diagnostics.push({ ...range, severity: 'warning', code: 'duplicate-input', message: `Input '${d.input.name}' is declared twice: remove one of them.` });
    }
    seen.add(d.input.name);
  }
  return diagnostics;
}

function undeclaredMessage(name: string, known: readonly string[]): string {
  const suggestion = closest(name, known);
  const fix = suggestion ? `Did you mean '${suggestion}'? Otherwise add` : 'Add';
  return `Variable '${name}' is used in the template but not declared in inputs. ${fix} '${name}' under 'inputs:' in the frontmatter.`;
}

/** Suggests a known key within edit distance 2 (typos such as 'descripton'). */
function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
