// Line diff of two texts (Myers' O(ND) algorithm), used for prompt text side by side.
// Common prefix/suffix are trimmed first; past MAX_EDIT_DISTANCE the middle is reported as one
// delete block plus one insert block so a pathological input cannot stall the extension host.

export type DiffOp = 'equal' | 'delete' | 'insert';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the old text (equal/delete). */
  oldLine?: number;
  /** 1-based line number in the new text (equal/insert). */
  newLine?: number;
}

const MAX_EDIT_DISTANCE = 4000;

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
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }

  const ops: DiffOp[] = [];
  for (let i = 0; i < start; i++) ops.push('equal');
  ops.push(...myersOps(a.slice(start, endA), b.slice(start, endB)));
  for (let i = endA; i < a.length; i++) ops.push('equal');

  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === 'equal') { out.push({ op, text: a[i], oldLine: i + 1, newLine: j + 1 }); i++; j++; }
    else if (op === 'delete') { out.push({ op, text: a[i], oldLine: i + 1 }); i++; }
    else { out.push({ op, text: b[j], newLine: j + 1 }); j++; }
  }
  return out;
}

function myersOps(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map(() => 'insert' as const);
  if (m === 0) return a.map(() => 'delete' as const);
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = d; break; }
    }
  }
  if (found < 0) return [...a.map(() => 'delete' as const), ...b.map(() => 'insert' as const)];

  // Walk the trace backwards to recover the edit script.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { ops.push('equal'); x--; y--; }
    ops.push(x === prevX ? 'insert' : 'delete');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) { ops.push('equal'); x--; y--; }
  return ops.reverse();
}
