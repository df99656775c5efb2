import { bodyPositionMapper } from './bodyPositions';
import { parseNunjucks } from './nunjucksAst';
import type { TemplateEngine } from './promptTypes';

/** A template problem with body-relative 0-based positions. */
export interface BodySyntaxProblem {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const CLOSERS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };
/** Jinja/nunjucks tags that need an `end<tag>`; `set` only in its block form (no `=`). */
const BLOCK_TAGS = new Set(['if', 'for', 'macro', 'call', 'filter', 'block', 'raw', 'verbatim', 'asyncEach', 'asyncAll', 'switch', 'set']);
const MIDDLE_TAGS = new Set(['elif', 'elseif', 'else', 'case', 'default']);

interface OpenBlock {
  tag: string;
  start: number;
  end: number;
}

/** `lineOffset` turns body lines into file lines inside messages ("opened on line N"). */
export function checkTemplateSyntax(body: string, engine: TemplateEngine, lineOffset = 0): BodySyntaxProblem[] {
  return engine === 'mustache' ? checkMustacheSyntax(body) : checkJinjaSyntax(body, lineOffset);
}

/** Problems with body offsets turned into line/column ranges (at least one character wide). */
function problemCollector(body: string) {
  const at = bodyPositionMapper(body);
  const problems: BodySyntaxProblem[] = [];
  const report = (start: number, end: number, message: string) => {
    const s = at(start);
    const e = at(Math.max(end, start + 1));
    problems.push({ message, line: s.line, column: s.column, endLine: e.line, endColumn: e.column });
  };
  return { problems, report, at };
}

/**
 * Scans tags ourselves first: nunjucks stops at the first error and often reports unclosed
 * blocks at end of file without a position, while we can point at the opening tag.
 */
export function checkJinjaSyntax(body: string, lineOffset = 0): BodySyntaxProblem[] {
  const { problems, report, at } = problemCollector(body);
  const stack: OpenBlock[] = [];
  const opener = /\{\{|\{%|\{#/g;
  let match: RegExpExecArray | null;
  while ((match = opener.exec(body))) {
    const start = match.index;
    const open = match[0];
    const close = CLOSERS[open];
    const closeAt = findCloser(body, start + 2, close, open !== '{#');
    if (closeAt < 0) {
      const what = open === '{{' ? 'expression' : open === '{%' ? 'tag' : 'comment';
      report(start, start + 2, `Unclosed '${open}': add '${close}' to end this ${what}.`);
      continue;
    }
    opener.lastIndex = closeAt + 2;
    if (open !== '{%') continue;
    const inner = body.slice(start + 2, closeAt).replace(/^-/, '').replace(/-$/, '').trim();
    const tag = /^[A-Za-z_]\w*/.exec(inner)?.[0] ?? '';
    const tagEnd = closeAt + 2;
    if (tag === 'raw' || tag === 'verbatim') {
      const endRe = new RegExp(`\\{%-?\\s*end${tag}\\s*-?%\\}`, 'g');
      endRe.lastIndex = tagEnd;
      const endMatch = endRe.exec(body);
      if (!endMatch) {
        report(start, tagEnd, `'{% ${tag} %}' is never closed: add '{% end${tag} %}'.`);
        break;
      }
      opener.lastIndex = endMatch.index + endMatch[0].length;
      continue;
    }
    if (BLOCK_TAGS.has(tag)) {
      if (tag === 'set' && inner.includes('=')) continue;
      stack.push({ tag, start, end: tagEnd });
    } else if (MIDDLE_TAGS.has(tag)) {
      if (stack.length === 0) report(start, tagEnd, `'{% ${tag} %}' is outside any block: remove it or add the '{% if %}'/'{% for %}' it belongs to.`);
    } else if (tag.startsWith('end')) {
      const name = tag.slice(3);
      const top = stack[stack.length - 1];
      if (!top) {
        report(start, tagEnd, `'{% ${tag} %}' has no matching '{% ${name} %}': remove it or add the opening tag.`);
      } else if (top.tag !== name) {
        const openedAt = at(top.start);
        report(start, tagEnd, `'{% ${tag} %}' found where '{% end${top.tag} %}' was expected (for the '{% ${top.tag} %}' on line ${openedAt.line + lineOffset + 1}).`);
        stack.pop();
      } else {
        stack.pop();
      }
    }
  }
  for (const block of stack) {
    report(block.start, block.end, `'{% ${block.tag} %}' is never closed: add '{% end${block.tag} %}'.`);
  }
  if (problems.length > 0) return problems;
  return nunjucksParseProblems(body);
}

/** Finds `close` after `from`, skipping quoted strings; -1 if another opener comes first. */
function findCloser(body: string, from: number, close: string, stopAtOpeners: boolean): number {
  let quote: string | undefined;
  for (let i = from; i < body.length; i++) {
    const ch = body[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      else if (ch === '\n') quote = undefined; // an unbalanced quote must not swallow the file
      continue;
    }
    if (body.startsWith(close, i)) return i;
    if (!stopAtOpeners) continue;
    if (ch === '"' || ch === "'") quote = ch;
    else if (body.startsWith('{{', i) || body.startsWith('{%', i)) return -1;
  }
  return -1;
}

function nunjucksParseProblems(body: string): BodySyntaxProblem[] {
  try {
    parseNunjucks(body);
    return [];
  } catch (err) {
    const e = err as Error & { lineno?: number; colno?: number };
    const lines = body.split('\n');
    const line = typeof e.lineno === 'number' ? Math.max(e.lineno - 1, 0) : lines.length - 1;
    const column = typeof e.colno === 'number' ? Math.max(e.colno - 1, 0) : (lines[line]?.length ?? 0);
    const message = String(e.message).replace(/^\(unknown path\)\s*(\[[^\]]*\])?\s*/, '').split('\n')[0].trim();
    return [{ message: `Template syntax: ${message}. Fix the template tag here.`, line, column, endLine: line, endColumn: column + 1 }];
  }
}

/** Mustache: every `{{` closes, sections `{{#x}}`/`{{^x}}` close with `{{/x}}` in order, no partials (see mustache.ts). */
export function checkMustacheSyntax(body: string): BodySyntaxProblem[] {
  const { problems, report } = problemCollector(body);
  const stack: { name: string; start: number; end: number }[] = [];
  for (const tag of mustacheTags(body)) {
    if (tag.unclosed) {
      report(tag.start, tag.start + 2, `Unclosed '{{': add '}}' to end this tag.`);
      continue;
    }
    if (tag.sigil === '>') report(tag.start, tag.end, `Mustache partial '{{> ${tag.name}}}' is not supported: paste the partial's text into this prompt instead.`);
    else if (tag.sigil === '#' || tag.sigil === '^') stack.push({ name: tag.name, start: tag.start, end: tag.end });
    else if (tag.sigil === '/') {
      const top = stack.pop();
      if (!top) report(tag.start, tag.end, `'{{/${tag.name}}}' closes a section that was never opened: remove it or add '{{#${tag.name}}}'.`);
      else if (top.name !== tag.name) report(tag.start, tag.end, `'{{/${tag.name}}}' found where '{{/${top.name}}}' was expected.`);
    }
  }
  for (const open of stack) report(open.start, open.end, `Section '{{#${open.name}}}' is never closed: add '{{/${open.name}}}'.`);
  return problems;
}

export interface MustacheTag {
  start: number;
  end: number;
  /** '' for a plain variable, or one of # ^ / ! & { > */
  sigil: string;
  name: string;
  unclosed: boolean;
}

export function mustacheTags(body: string): MustacheTag[] {
  const tags: MustacheTag[] = [];
  let i = 0;
  while ((i = body.indexOf('{{', i)) >= 0) {
    const triple = body.startsWith('{{{', i);
    const close = triple ? '}}}' : '}}';
    const closeAt = body.indexOf(close, i + (triple ? 3 : 2));
    const nextOpen = body.indexOf('{{', i + 2);
    if (closeAt < 0 || (nextOpen >= 0 && nextOpen < closeAt && !triple)) {
      tags.push({ start: i, end: i + 2, sigil: '', name: '', unclosed: true });
      i += 2;
      continue;
    }
    let inner = body.slice(i + (triple ? 3 : 2), closeAt).trim();
    let sigil = triple ? '{' : '';
    if (!triple && /^[#^/!&>]/.test(inner)) {
      sigil = inner[0];
      inner = inner.slice(1).trim();
    }
    const end = closeAt + close.length;
    tags.push({ start: i, end, sigil, name: inner, unclosed: false });
    i = end;
  }
  return tags;
}
