import { mustacheTags } from './templateSyntax';

/**
 * Minimal logic-less Mustache (variables, dotted names, sections, inverted sections, comments),
 * enough for Prompty's optional mustache engine. No HTML escaping: prompts are not HTML.
 */
interface TextNode {
  kind: 'text';
  text: string;
}
interface VarNode {
  kind: 'var';
  name: string;
}
interface SectionNode {
  kind: 'section';
  name: string;
  inverted: boolean;
  children: MustacheNode[];
}
type MustacheNode = TextNode | VarNode | SectionNode;

export function renderMustache(template: string, view: Record<string, unknown>): string {
  return renderNodes(parseMustache(template), [view]);
}

function parseMustache(template: string): MustacheNode[] {
  const root: MustacheNode[] = [];
  const stack: { children: MustacheNode[]; name?: string }[] = [{ children: root }];
  let cursor = 0;
  for (const tag of mustacheTags(template)) {
    const children = stack[stack.length - 1].children;
    if (tag.start > cursor) children.push({ kind: 'text', text: template.slice(cursor, tag.start) });
    cursor = tag.end;
    if (tag.unclosed) {
      children.push({ kind: 'text', text: template.slice(tag.start, tag.end) });
      continue;
    }
    if (tag.sigil === '!' || tag.sigil === '>') continue;
    if (tag.sigil === '#' || tag.sigil === '^') {
      const section: SectionNode = { kind: 'section', name: tag.name, inverted: tag.sigil === '^', children: [] };
      children.push(section);
      stack.push({ children: section.children, name: tag.name });
    } else if (tag.sigil === '/') {
      if (stack.length > 1) stack.pop();
    } else {
      children.push({ kind: 'var', name: tag.name });
    }
  }
  if (cursor < template.length) stack[stack.length - 1].children.push({ kind: 'text', text: template.slice(cursor) });
  return root;
}

function renderNodes(nodes: readonly MustacheNode[], contexts: unknown[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'var') out += toText(lookup(node.name, contexts));
    else {
      const value = lookup(node.name, contexts);
      const empty = !value || (Array.isArray(value) && value.length === 0);
      if (node.inverted) {
        if (empty) out += renderNodes(node.children, contexts);
      } else if (Array.isArray(value)) {
        for (const item of value) out += renderNodes(node.children, [...contexts, item]);
      } else if (!empty) {
        out += renderNodes(node.children, typeof value === 'object' ? [...contexts, value] : contexts);
      }
    }
  }
  return out;
}

function lookup(name: string, contexts: readonly unknown[]): unknown {
  if (name === '.') return contexts[contexts.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = contexts.length - 1; i >= 0; i--) {
    const ctx = contexts[i];
    if (ctx !== null && typeof ctx === 'object' && head in ctx) {
      return rest.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), (ctx as Record<string, unknown>)[head]);
    }
  }
  return undefined;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
