// Edit distance and ROUGE-style overlap, small enough to write out (no dependency).

/** Levenshtein distance over UTF-16 code units, two-row DP, O(n·m) time, O(min) memory. */
// Two rows of the edit-distance table, kept between calls (a run scores every case).
let rowPrev = new Uint32Array(64);
let rowCur = new Uint32Array(64);

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // A common prefix and suffix do not change the distance: only the middles are compared.
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  // `long` runs over the rows, `short` over the columns.
  const aLonger = endA - start >= endB - start;
  const long = aLonger ? a : b;
  const short = aLonger ? b : a;
  const lenLong = aLonger ? endA - start : endB - start;
  const lenShort = aLonger ? endB - start : endA - start;
  if (lenShort === 0) return lenLong;
  if (rowPrev.length <= lenShort) {
    rowPrev = new Uint32Array(lenShort + 1);
    rowCur = new Uint32Array(lenShort + 1);
  }
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lenShort; j++) prev[j] = j;
  for (let i = 1; i <= lenLong; i++) {
    cur[0] = i;
    const ca = long.charCodeAt(start + i - 1);
    for (let j = 1; j <= lenShort; j++) {
      const sub = prev[j - 1] + (ca === short.charCodeAt(start + j - 1) ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[lenShort];
}

/** 1 − distance / longer length: 1 for equal strings, 0 for nothing in common. */
export function levenshteinSimilarity(a: string, b: string): number {
  return similarityOfDistance(levenshtein(a, b), a, b);
}

/** levenshteinSimilarity for a distance already computed. */
export function similarityOfDistance(distance: number, a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance / longer;
}

/** Lower-cased word tokens (letters and digits in any script), as ROUGE implementations do. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function ngrams(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function f1(overlap: number, candidateTotal: number, referenceTotal: number): number {
  if (overlap === 0 || candidateTotal === 0 || referenceTotal === 0) return 0;
  const precision = overlap / candidateTotal;
  const recall = overlap / referenceTotal;
  return (2 * precision * recall) / (precision + recall);
}

/** ROUGE-N F1: clipped n-gram overlap between candidate and reference. */
export function rougeN(candidate: string, reference: string, n = 1): number {
  const c = ngrams(tokenize(candidate), n);
  const r = ngrams(tokenize(reference), n);
  let overlap = 0;
  let cTotal = 0;
  let rTotal = 0;
  for (const v of c.values()) cTotal += v;
  for (const [k, v] of r) {
    rTotal += v;
    overlap += Math.min(v, c.get(k) ?? 0);
  }
  if (cTotal === 0 && rTotal === 0) return 1;
  return f1(overlap, cTotal, rTotal);
}

/** ROUGE-L F1: longest common subsequence of tokens. */
export function rougeL(candidate: string, reference: string): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (c.length === 0 && r.length === 0) return 1;
  let prev = new Array<number>(r.length + 1).fill(0);
  let cur = new Array<number>(r.length + 1).fill(0);
  for (let i = 1; i <= c.length; i++) {
    for (let j = 1; j <= r.length; j++) {
      cur[j] = c[i - 1] === r[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return f1(prev[r.length], c.length, r.length);
}
