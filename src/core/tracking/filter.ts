// MLflow's search filter subset and order_by clauses: parsed into a small AST here, evaluated by
// the embedded store (matchesFilter / compareRuns) with the same semantics as MLflow's SQL store.
import { TrackingError } from './types';
import type { Run } from './types';

export type EntityType = 'metric' | 'param' | 'tag' | 'attribute';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export interface Comparison {
  type: EntityType;
  key: string;
  op: CompareOp;
  value: string | number | string[];
}
/** Comparisons joined by AND (MLflow supports no OR). */
export type FilterAst = Comparison[];

export interface OrderByClause {
  type: EntityType;
  key: string;
  ascending: boolean;
}

/** Run attributes that compare as numbers; every other attribute compares as a string. */
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time', 'created', 'creation_time', 'last_update_time', 'creation_timestamp', 'last_updated_timestamp']);
const ATTRIBUTE_ALIASES: Record<string, string> = { created: 'start_time', run_uuid: 'run_id', name: 'name' };

const PREFIXES: Record<string, EntityType> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
};

function bad(input: string, why: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', `Invalid filter '${input}': ${why}. Example: metrics.pass_rate > 0.8 AND params.model = 'gpt-4o' AND tags."team" = 'ml'`);
}

type Token =
  | { t: 'ident'; v: string; quoted: boolean }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' | '.' };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= input.length) throw bad(input, `unterminated quote starting at character ${i + 1}`);
        if (input[j] === c) {
          if (input[j + 1] === c) { v += c; j += 2; continue; }
          break;
        }
        if (input[j] === '\\' && j + 1 < input.length) { v += input[j + 1]; j += 2; continue; }
        v += input[j++];
      }
      // A single-quoted token is a string value; double quotes and backticks quote identifiers
      // right after a '.', and values otherwise (MLflow accepts both for values).
      const prev = out[out.length - 1];
      if (c === '`' || (c === '"' && prev?.t === 'punct' && prev.v === '.')) out.push({ t: 'ident', v, quoted: true });
      else out.push({ t: 'string', v });
      i = j + 1;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>') { out.push({ t: 'op', v: two === '<>' ? '!=' : two }); i += 2; continue; }
    if (c === '=' || c === '<' || c === '>') {
      if (two === '==') { out.push({ t: 'op', v: '=' }); i += 2; continue; }
      out.push({ t: 'op', v: c }); i++; continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      // A '.' followed by a digit after an operator is a number like .5
      if (c === '.' && /\d/.test(input[i + 1] ?? '') && out[out.length - 1]?.t === 'op') {
        const m = /^\.\d+(?:[eE][+-]?\d+)?/.exec(input.slice(i))!;
        out.push({ t: 'number', v: Number(m[0]) }); i += m[0].length; continue;
      }
      out.push({ t: 'punct', v: c }); i++; continue;
    }
    const num = /^-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/.exec(input.slice(i));
    if (num && (out[out.length - 1]?.t === 'op' || (c === '-' && out[out.length - 1]?.t === 'op'))) {
      out.push({ t: 'number', v: Number(num[0]) }); i += num[0].length; continue;
    }
    const id = /^[A-Za-z_][\w]*/.exec(input.slice(i));
    if (id) { out.push({ t: 'ident', v: id[0], quoted: false }); i += id[0].length; continue; }
    if (num) { out.push({ t: 'number', v: Number(num[0]) }); i += num[0].length; continue; }
    throw bad(input, `unexpected character '${c}' at position ${i + 1}`);
  }
  return out;
}

/** Reads `prefix.key` (key may be quoted, or dotted when unquoted) or a bare attribute name. */
function readIdentifier(input: string, toks: Token[], pos: number): { type: EntityType; key: string; next: number } {
  const first = toks[pos];
  if (!first || first.t !== 'ident') throw bad(input, 'expected a name such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>');
  const prefix = first.quoted ? undefined : PREFIXES[first.v.toLowerCase()];
  if (prefix && toks[pos + 1]?.t === 'punct' && (toks[pos + 1] as { v: string }).v === '.') {
    let p = pos + 2;
    const k = toks[p];
    if (!k || (k.t !== 'ident' && k.t !== 'string')) throw bad(input, `expected a key after '${first.v}.'`);
    let key = k.v;
    p++;
    // Unquoted keys may contain dots: metrics.a.b
    if (k.t === 'ident' && !k.quoted) {
      while (toks[p]?.t === 'punct' && (toks[p] as { v: string }).v === '.' && toks[p + 1]?.t === 'ident' && !(toks[p + 1] as { quoted: boolean }).quoted) {
        key += '.' + (toks[p + 1] as { v: string }).v;
        p += 2;
      }
    }
    if (prefix === 'attribute') key = ATTRIBUTE_ALIASES[key] ?? key;
    return { type: prefix, key, next: p };
  }
  // A bare name is an attribute (run_name, status, start_time; name for experiments and models).
  return { type: 'attribute', key: ATTRIBUTE_ALIASES[first.v] ?? first.v, next: pos + 1 };
}

/**
 * A string value for a filter (`name = ${quoteFilterValue(n)}`): single-quoted, with backslashes
 * and quotes escaped. The one place filter values are quoted, for both backends.
 */
export function quoteFilterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function parseFilter(input: string | undefined): FilterAst {
  if (!input || !input.trim()) return [];
  const toks = tokenize(input);
  const ast: FilterAst = [];
  let pos = 0;
  for (;;) {
    const id = readIdentifier(input, toks, pos);
    pos = id.next;
    const opTok = toks[pos];
    let op: CompareOp;
    if (opTok?.t === 'op') { op = opTok.v as CompareOp; pos++; }
    else if (opTok?.t === 'ident' && /^(like|ilike|in)$/i.test(opTok.v)) { op = opTok.v.toUpperCase() as CompareOp; pos++; }
    else if (opTok?.t === 'ident' && /^not$/i.test(opTok.v) && toks[pos + 1]?.t === 'ident' && /^in$/i.test((toks[pos + 1] as { v: string }).v)) { op = 'NOT IN'; pos += 2; }
    else throw bad(input, `expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) after '${id.key}'`);
    let value: Comparison['value'];
    if (op === 'IN' || op === 'NOT IN') {
      if (!(toks[pos]?.t === 'punct' && (toks[pos] as { v: string }).v === '(')) throw bad(input, `expected '(' after ${op}`);
      pos++;
      const list: string[] = [];
      for (;;) {
        const v = toks[pos];
        if (!v || (v.t !== 'string' && v.t !== 'number')) throw bad(input, `expected a quoted value in the ${op} list`);
        list.push(String(v.v));
        pos++;
        const sep = toks[pos];
        if (sep?.t === 'punct' && sep.v === ',') { pos++; continue; }
        if (sep?.t === 'punct' && sep.v === ')') { pos++; break; }
        throw bad(input, `expected ',' or ')' in the ${op} list`);
      }
      value = list;
    } else {
      const v = toks[pos];
      if (!v || (v.t !== 'string' && v.t !== 'number')) throw bad(input, `expected a value after '${id.key} ${op}'`);
      value = v.v;
      pos++;
    }
    const numeric = id.type === 'metric' || (id.type === 'attribute' && NUMERIC_ATTRIBUTES.has(id.key));
    if (numeric) {
      if (op === 'LIKE' || op === 'ILIKE') throw bad(input, `${op} is not supported for numeric '${id.key}'`);
      if (Array.isArray(value)) throw bad(input, `${op} is not supported for numeric '${id.key}'`);
      if (typeof value === 'string') {
        if (id.type === 'metric' || !/^-?\d+(\.\d+)?$/.test(value)) throw bad(input, `'${id.key}' is numeric; compare it to a number, not '${value}'`);
        value = Number(value);
      }
    } else {
      if (typeof value === 'number') throw bad(input, `'${id.key}' is a string; quote the value: '${value}'`);
      if (id.type !== 'attribute' && !['=', '!=', 'LIKE', 'ILIKE'].includes(op)) throw bad(input, `${id.type}s support only =, !=, LIKE and ILIKE`);
      if ((op === 'IN' || op === 'NOT IN') && id.key !== 'run_id') throw bad(input, `${op} works only on attributes.run_id`);
    }
    ast.push({ type: id.type, key: id.key, op, value });
    if (pos >= toks.length) break;
    const and = toks[pos];
    if (and?.t === 'ident' && /^and$/i.test(and.v)) { pos++; continue; }
    throw bad(input, and?.t === 'ident' && /^or$/i.test(and.v) ? 'OR is not supported; only AND' : `unexpected '${String((and as { v: unknown }).v)}'`);
  }
  return ast;
}

export function parseOrderBy(clauses: string[] | undefined): OrderByClause[] {
  return (clauses ?? []).map((clause) => {
    const toks = tokenize(clause);
    const id = readIdentifier(clause, toks, 0);
    let ascending = true;
    const dir = toks[id.next];
    if (dir) {
      if (dir.t === 'ident' && /^(asc|desc)$/i.test(dir.v)) ascending = dir.v.toUpperCase() === 'ASC';
      else throw new TrackingError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${clause}': expected ASC or DESC after the name, e.g. 'metrics.pass_rate DESC'.`);
      if (toks.length > id.next + 1) throw new TrackingError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${clause}': unexpected text after ${dir.v}.`);
    }
    return { type: id.type, key: id.key, ascending };
  });
}

/** Turns a SQL LIKE pattern (% and _) into a RegExp. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseInsensitive ? 'i' : '');
}

/** Evaluates one comparison against a value (undefined = the entity lacks the key: never matches). */
export function compareValue(c: Comparison, actual: string | number | undefined): boolean {
  if (actual === undefined || actual === null) return false;
  const v = c.value;
  switch (c.op) {
    case '=': return actual === v || (typeof actual === 'number' && actual === Number(v));
    case '!=': return !(actual === v || (typeof actual === 'number' && actual === Number(v)));
    case '<': return actual < (v as number | string);
    case '<=': return actual <= (v as number | string);
    case '>': return actual > (v as number | string);
    case '>=': return actual >= (v as number | string);
    case 'LIKE': return likeToRegExp(String(v), false).test(String(actual));
    case 'ILIKE': return likeToRegExp(String(v), true).test(String(actual));
    case 'IN': return (v as string[]).includes(String(actual));
    case 'NOT IN': return !(v as string[]).includes(String(actual));
  }
}

/** The value a run has for a filter/order key, or undefined when it lacks it. */
export function runValue(run: Run, type: EntityType, key: string): string | number | undefined {
  switch (type) {
    case 'metric': return run.data.metrics.find((m) => m.key === key)?.value;
    case 'param': return run.data.params.find((p) => p.key === key)?.value;
    case 'tag': return run.data.tags.find((t) => t.key === key)?.value;
    case 'attribute': {
      const i = run.info;
      switch (key) {
        case 'run_id': return i.runId;
        case 'run_name': return i.runName;
        case 'status': return i.status;
        case 'start_time': return i.startTime;
        case 'end_time': return i.endTime;
        case 'user_id': return i.userId;
        case 'artifact_uri': return i.artifactUri;
        case 'experiment_id': return i.experimentId;
        case 'lifecycle_stage': return i.lifecycleStage;
        default: throw new TrackingError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}'. Valid run attributes: run_id, run_name, status, start_time, end_time, user_id, artifact_uri.`);
      }
    }
  }
}

/** Generic AND evaluation over any entity (experiments, registered models) via a getter. */
export function matchesFilterWith(ast: FilterAst, get: (type: EntityType, key: string) => string | number | undefined): boolean {
  return ast.every((c) => compareValue(c, get(c.type, c.key)));
}

export function matchesFilter(run: Run, ast: FilterAst): boolean {
  return matchesFilterWith(ast, (type, key) => runValue(run, type, key));
}

/**
 * MLflow's ordering: each clause in turn, runs missing the key last (whatever the direction),
 * then start_time DESC, then run id ASC.
 */
export function compareRuns(orderBy: OrderByClause[] | string[] | undefined): (a: Run, b: Run) => number {
  const clauses: OrderByClause[] = !orderBy ? [] : orderBy.length && typeof orderBy[0] === 'string' ? parseOrderBy(orderBy as string[]) : (orderBy as OrderByClause[]);
  return (a, b) => {
    for (const c of clauses) {
      const va = runValue(a, c.type, c.key);
      const vb = runValue(b, c.type, c.key);
      if (va === undefined && vb === undefined) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      if (va === vb) continue;
      const cmp = va < vb ? -1 : 1;
      return c.ascending ? cmp : -cmp;
    }
    if (a.info.startTime !== b.info.startTime) return b.info.startTime - a.info.startTime;
    return a.info.runId < b.info.runId ? -1 : a.info.runId > b.info.runId ? 1 : 0;
  };
}
