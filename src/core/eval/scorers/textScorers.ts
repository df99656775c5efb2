// String checks with promptfoo's semantics (formats-facts §3): score 1/0, `not-` inverts pass.
import type { ScoreContext } from './types';
import { ScorerConfigError } from './types';
import { stringify } from './interpolate';

export interface CheckOutcome { pass: boolean; score?: number; reason: string }

function show(s: string, max = 60): string {
  const t = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(t);
}

function listOf(value: unknown, type: string): string[] {
  if (Array.isArray(value)) return value.map((v) => stringify(v));
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  throw new ScorerConfigError(`${type} needs a list (or a comma-separated string) as value`, 'value: [alpha, beta]');
}

function needString(value: unknown, type: string): string {
  if (value === undefined || value === null) {
    throw new ScorerConfigError(`${type} needs a value (or an \`expected\` on every case)`, `value: "text to look for"`);
  }
  return stringify(value);
}

export function equalsCheck(ctx: ScoreContext, value: unknown): CheckOutcome {
  if (value !== null && typeof value === 'object') {
    let parsed: unknown;
    try { parsed = JSON.parse(ctx.output); } catch { return { pass: false, reason: 'output is not JSON, expected an object' }; }
    const pass = deepEqual(parsed, value);
    return { pass, reason: pass ? 'output JSON equals the expected object' : 'output JSON differs from the expected object' };
  }
  const expected = needString(value, 'equals');
  const pass = ctx.output === expected;
  return { pass, reason: pass ? 'output equals expected' : `expected ${show(expected)}, got ${show(ctx.output)}` };
}

export function containsCheck(ctx: ScoreContext, value: unknown, ignoreCase: boolean): CheckOutcome {
  const needle = needString(value, ignoreCase ? 'icontains' : 'contains');
  const hay = ignoreCase ? ctx.output.toLowerCase() : ctx.output;
  const pass = hay.includes(ignoreCase ? needle.toLowerCase() : needle);
  return { pass, reason: pass ? `output contains ${show(needle)}` : `output does not contain ${show(needle)}` };
}

export function containsSetCheck(ctx: ScoreContext, value: unknown, mode: 'any' | 'all', ignoreCase: boolean): CheckOutcome {
  const type = `${ignoreCase ? 'i' : ''}contains-${mode}`;
  const items = listOf(value, type);
  if (items.length === 0) throw new ScorerConfigError(`${type} needs at least one item`, 'value: [alpha, beta]');
  const hay = ignoreCase ? ctx.output.toLowerCase() : ctx.output;
  const found = items.filter((i) => hay.includes(ignoreCase ? i.toLowerCase() : i));
  const missing = items.filter((i) => !found.includes(i));
  const pass = mode === 'any' ? found.length > 0 : missing.length === 0;
  const reason = mode === 'any'
    ? (pass ? `output contains ${show(found[0])}` : `output contains none of ${JSON.stringify(items)}`)
    : (pass ? 'output contains all items' : `output is missing ${JSON.stringify(missing)}`);
  return { pass, reason };
}

export function compileRegex(value: unknown): RegExp {
  const pattern = needString(value, 'regex');
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new ScorerConfigError(`invalid regular expression ${show(pattern)}: ${(err as Error).message}`, 'write the pattern in JavaScript RegExp syntax, without slashes or flags');
  }
}

export function regexCheck(ctx: ScoreContext, value: unknown): CheckOutcome {
  const re = compileRegex(value);
  const pass = re.test(ctx.output);
  return { pass, reason: pass ? `output matches /${re.source}/` : `output does not match /${re.source}/` };
}

export function startsWithCheck(ctx: ScoreContext, value: unknown): CheckOutcome {
  const prefix = needString(value, 'starts-with');
  const pass = ctx.output.startsWith(prefix);
  return { pass, reason: pass ? `output starts with ${show(prefix)}` : `output does not start with ${show(prefix)}` };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
