import { bodyPositionMapper } from './bodyPositions';
import { isNode, parseNunjucks } from './nunjucksAst';
import type { NunjucksNode } from './nunjucksAst';
import type { TemplateEngine } from './promptTypes';
import { mustacheTags } from './templateSyntax';

/** One reference to a top-level variable, body-relative 0-based. */
export interface VariableUsage {
  name: string;
  line: number;
  column: number;
  /** `name is defined` / `is undefined`: the template copes with the variable being absent. */
  presenceTest?: boolean;
}

/** Names that resolve without the caller providing them (nunjucks/jinja globals and loop helpers). */
const BUILTIN_NAMES = new Set(['range', 'cycler', 'joiner', 'namespace', 'dict', 'lipsum', 'loop', 'caller', 'super', 'True', 'False', 'None']);

/** Every reference to a variable the caller must supply, in body order. Loop-locals, `set` targets and macro args are excluded. */
export function findVariableUsages(body: string, engine: TemplateEngine): VariableUsage[] {
  if (engine === 'mustache') return mustacheUsages(body);
  let root: NunjucksNode;
  try {
    root = parseNunjucks(body);
  } catch {
    return regexUsages(body);
  }
  const usages: VariableUsage[] = [];
  visit(root, new Set(), usages);
  return usages.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function uniqueNames(usages: readonly VariableUsage[]): string[] {
  return [...new Set(usages.map((u) => u.name))];
}

function visit(node: unknown, scope: Set<string>, out: VariableUsage[]): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, scope, out);
    return;
  }
  if (!isNode(node)) return;
  const field = (name: string) => node[name];
  switch (node.typename) {
    case 'Symbol': {
      const name = String(node.value);
      if (!scope.has(name) && !BUILTIN_NAMES.has(name)) out.push({ name, line: node.lineno, column: node.colno });
      return;
    }
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll': {
      visit(field('arr'), scope, out);
      const inner = new Set([...scope, ...boundNames(field('name')), 'loop']);
      visit(field('body'), inner, out);
      visit(field('else_'), scope, out);
      return;
    }
    case 'Set': {
      visit(field('value'), scope, out);
      visit(field('body'), scope, out);
      for (const target of asArray(field('targets'))) for (const name of boundNames(target)) scope.add(name);
      return;
    }
    case 'Macro':
    case 'Caller': {
      for (const name of boundNames(field('name'))) scope.add(name);
      const inner = new Set([...scope, 'caller']);
      const args = field('args');
      for (const arg of isNode(args) ? asArray(args.children) : []) {
        if (arg.typename === 'Symbol') inner.add(String(arg.value));
        else if (arg.typename === 'KeywordArgs') {
          for (const pair of asArray(arg.children)) {
            for (const name of boundNames(pair.key)) inner.add(name);
            visit(pair.value, scope, out);
          }
        }
      }
      visit(field('body'), inner, out);
      return;
    }
    case 'Filter':
    case 'FilterAsync':
      visit(field('args'), scope, out);
      return;
    case 'Is': {
      const test = field('right');
      const left = field('left');
      // `x is defined` asks whether x was given: using x this way does not make it required.
      const presenceTest = isNode(test) && test.typename === 'Symbol' && ['defined', 'undefined'].includes(String(test.value));
      if (presenceTest && isNode(left) && left.typename === 'Symbol') {
        const name = String(left.value);
        if (!scope.has(name) && !BUILTIN_NAMES.has(name)) out.push({ name, line: left.lineno, column: left.colno, presenceTest: true });
      } else {
        visit(left, scope, out);
      }
      if (isNode(test) && test.typename === 'FunCall') visit(test.args, scope, out);
      return;
    }
    case 'Pair':
      // Dict keys and keyword-argument names are not variables.
      if (isNode(node.key) && node.key.typename !== 'Symbol') visit(node.key, scope, out);
      visit(node.value, scope, out);
      return;
    case 'Block':
      visit(field('body'), scope, out);
      return;
    case 'Super':
      return;
    case 'Import':
      for (const name of boundNames(field('target'))) scope.add(name);
      return;
    case 'FromImport': {
      const names = field('names');
      for (const entry of isNode(names) ? asArray(names.children) : []) {
        const bound = entry.typename === 'Pair' ? entry.value : entry;
        for (const name of boundNames(bound)) scope.add(name);
      }
      return;
    }
    default:
      for (const name of node.fields) visit(node[name], scope, out);
  }
}

function boundNames(node: unknown): string[] {
  if (!isNode(node)) return [];
  if (node.typename === 'Symbol') return [String(node.value)];
  return asArray(node.children).flatMap(boundNames);
}

function asArray(value: unknown): NunjucksNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** Used when the body does not parse: still finds `{{ name` so diagnostics stay useful. */
function regexUsages(body: string): VariableUsage[] {
  const at = bodyPositionMapper(body);
  const usages: VariableUsage[] = [];
  for (const m of body.matchAll(/\{\{-?\s*([A-Za-z_]\w*)/g)) {
    if (BUILTIN_NAMES.has(m[1])) continue;
    usages.push({ name: m[1], ...at(m.index + m[0].length - m[1].length) });
  }
  return usages;
}

/** Mustache: names outside sections plus section names; names inside a section may be item fields. */
function mustacheUsages(body: string): VariableUsage[] {
  const at = bodyPositionMapper(body);
  const usages: VariableUsage[] = [];
  let depth = 0;
  for (const tag of mustacheTags(body)) {
    if (tag.unclosed || tag.sigil === '!' || tag.sigil === '>') continue;
    if (tag.sigil === '/') {
      depth = Math.max(depth - 1, 0);
      continue;
    }
    const name = tag.name.split('.')[0];
    if (depth === 0 && name && name !== '.') {
      const offset = body.indexOf(tag.name, tag.start);
      usages.push({ name, ...at(offset) });
    }
    if (tag.sigil === '#' || tag.sigil === '^') depth++;
  }
  return usages;
}
