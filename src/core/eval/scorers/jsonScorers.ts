// is-json / contains-json with an optional JSON Schema (object, JSON/YAML string or file://path),
// checked with ajv like promptfoo does.
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import type { ScoreContext } from './types';
import { ScorerConfigError } from './types';
import type { CheckOutcome } from './textScorers';

// Formats (email, uri…) need ajv-formats; they are not checked rather than warned about on every load.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

export function loadJsonSchema(value: unknown, baseDir: string): object | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return value as object;
  if (typeof value !== 'string') throw new ScorerConfigError('is-json value must be a JSON Schema (object, JSON/YAML text or file://path)');
  let text = value;
  if (value.startsWith('file://')) {
    const file = path.resolve(baseDir, value.slice('file://'.length));
    try { text = fs.readFileSync(file, 'utf8'); } catch (err) {
      throw new ScorerConfigError(`cannot read JSON Schema ${file}: ${(err as Error).message}`, 'paths after file:// are relative to the suite file');
    }
  }
  try {
    const parsed = YAML.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
    return parsed as object;
  } catch (err) {
    throw new ScorerConfigError(`is-json value is not a JSON Schema: ${(err as Error).message}`);
  }
}

export function schemaValidator(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    try { v = ajv.compile(schema); } catch (err) {
      throw new ScorerConfigError(`invalid JSON Schema: ${(err as Error).message}`);
    }
    compiled.set(schema, v);
  }
  return v;
}

function validate(data: unknown, schema: object | undefined): CheckOutcome {
  if (!schema) return { pass: true, reason: 'output is valid JSON' };
  const v = schemaValidator(schema);
  if (v(data)) return { pass: true, reason: 'output JSON matches the schema' };
  return { pass: false, reason: `output JSON does not match the schema: ${ajv.errorsText(v.errors)}` };
}

export function isJsonCheck(ctx: ScoreContext, schema: object | undefined): CheckOutcome {
  let data: unknown;
  try { data = JSON.parse(ctx.output); } catch (err) {
    return { pass: false, reason: `output is not valid JSON: ${(err as Error).message}` };
  }
  return validate(data, schema);
}

/** Every balanced {...} / [...] substring that parses as JSON, in order of appearance. */
export function extractJsonValues(text: string): unknown[] {
  const out: unknown[] = [];
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
    const end = matchingClose(text, start);
    if (end < 0) continue;
    try {
      out.push(JSON.parse(text.slice(start, end + 1)));
      start = end;
    } catch { /* not JSON; keep scanning after this bracket */ }
  }
  return out;
}

function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** First JSON object embedded in free text (LLM judges wrap their verdict in prose or fences). */
export function firstJsonObject(text: string): Record<string, unknown> | undefined {
  return extractJsonValues(text).find((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
}

export function containsJsonCheck(ctx: ScoreContext, schema: object | undefined): CheckOutcome {
  const values = extractJsonValues(ctx.output);
  if (values.length === 0) return { pass: false, reason: 'output contains no JSON' };
  if (!schema) return { pass: true, reason: 'output contains JSON' };
  let last: CheckOutcome = { pass: false, reason: '' };
  for (const v of values) {
    last = validate(v, schema);
    if (last.pass) return last;
  }
  return last;
}
