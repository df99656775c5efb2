import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { PromptDiagnostic } from './promptTypes';

/** A frontmatter YAML document plus what is needed to turn its offsets into file positions. */
export interface FrontmatterYaml {
  doc: Document.Parsed;
  /** Plain data, or undefined when the YAML could not be converted. */
  data: unknown;
  diagnostics: PromptDiagnostic[];
  /** Maps an offset inside the frontmatter text to a 0-based file position. */
  position(offset: number): { line: number; column: number };
}

export interface FileRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function parseFrontmatterYaml(text: string, startLine: number): FrontmatterYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const position = (offset: number) => {
    const pos = lineCounter.linePos(Math.min(Math.max(offset, 0), text.length));
    return { line: pos.line - 1 + startLine, column: pos.col - 1 };
  };
  const diagnostics: PromptDiagnostic[] = [];
  for (const [list, severity, code] of [
    [doc.errors, 'error', 'yaml-syntax'],
    [doc.warnings, 'warning', 'yaml-warning'],
  ] as const) {
    for (const err of list) {
      const start = position(err.pos[0]);
      const end = position(Math.max(err.pos[1], err.pos[0] + 1));
      diagnostics.push({
        ...start,
        endLine: end.line,
        endColumn: end.column,
        severity,
        code,
        message: `Frontmatter YAML: ${cleanYamlMessage(err.message)}. Fix the YAML at this position.`,
      });
    }
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // e.g. an unresolved alias; the parse errors above already say where.
    if (diagnostics.every((d) => d.severity !== 'error')) {
      const start = position(0);
      diagnostics.push({
        ...start,
        endLine: start.line,
        endColumn: start.column + 1,
        severity: 'error',
        code: 'yaml-syntax',
        message: `Frontmatter YAML: ${(err as Error).message}. Fix the YAML so it can be read.`,
      });
    }
    data = undefined;
  }
  return { doc, data, diagnostics, position };
}

/** YAML's messages end with its own (frontmatter-relative) position; ours are file-relative. */
function cleanYamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

/**
 * Range of the key at `path` (e.g. ['model', 'parameters', 'temperature']) or of the list item;
 * falls back to the deepest existing ancestor so a diagnostic always lands somewhere useful.
 */
export function rangeForPath(yaml: FrontmatterYaml, path: readonly PropertyKey[], target: 'key' | 'value' = 'key'): FileRange {
  let node: unknown = yaml.doc.contents;
  let best: [number, number] | undefined = rangeOf(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const keyRange = rangeOf(pair.key);
      const valueRange = rangeOf(pair.value);
      best = target === 'value' && valueRange ? valueRange : keyRange ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      best = rangeOf(item) ?? best;
      node = item;
    } else {
      break;
    }
  }
  const [startOffset, endOffset] = best ?? [0, 1];
  const start = yaml.position(startOffset);
  const end = yaml.position(Math.max(endOffset, startOffset + 1));
  return { ...start, endLine: end.line, endColumn: end.column };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}
