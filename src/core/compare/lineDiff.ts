// Line diff of two texts for prompt text side by side, computed by jsdiff (`diff`, Myers' O(ND)).
// Past MAX_EDIT_DISTANCE jsdiff gives up and the texts are reported as one delete block plus one
// insert block, so a pathological input cannot stall the extension host.
import { diffArrays } from 'diff';

export type DiffOp = 'equal' | 'delete' | 'insert';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the old text (equal/delete). */
  oldLine?: number;
  /** 1-based line number in the new text (equal/insert). */
  newLine?: number;
}

// 2,000 (not the 4,000 of the hand-written Myers this replaced): jsdiff builds a path object per step,
// so two unrelated 10,000-line texts take ~230 ms at 2,000 but ~1.2 s at 4,000. Prompts that differ in
// 2,000 lines are a rewrite, which the fallback shows as what it is.
const MAX_EDIT_DISTANCE = 2000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  return diffLineArrays(splitLines(oldText), splitLines(newText));
}

export function diffLineArrays(a: string[], b: string[]): DiffLine[] {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDIT_DISTANCE }) ?? [
    { value: a, count: a.length, removed: true, added: false },
    { value: b, count: b.length, removed: false, added: true },
  ];
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const change of changes) {
    for (const text of change.value) {
      if (change.removed) out.push({ op: 'delete', text, oldLine: ++i });
      else if (change.added) out.push({ op: 'insert', text, newLine: ++j });
      else out.push({ op: 'equal', text, oldLine: ++i, newLine: ++j });
    }
  }
  return out;
}
