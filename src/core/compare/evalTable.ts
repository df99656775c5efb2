// Reads the per-case table a run logs (`eval_results_table.json`, MLflow's table artifact format
// `{"columns":[…],"data":[[…]]}`) into uniform case records. Column names are matched loosely
// (case id / inputs / expected / output / scores / pass / latency / error) so tables written by
// other tools (mlflow.genai) are read too; unknown columns are kept under `extra`.

export interface EvalTable { columns: string[]; data: unknown[][] }

export type ScoreValue = number | string | boolean | null;

export interface EvalCase {
  /** Stable key used to join the same case across runs: case id, else a hash of the inputs. */
  key: string;
  caseId?: string;
  inputs: unknown;
  expected?: unknown;
  output: string;
  scores: Record<string, ScoreValue>;
  pass?: boolean;
  latencyMs?: number;
  costUsd?: number;
  error?: string;
}

const ID_COLS = ['case_id', 'caseid', 'id', 'row_id', 'example_id'];
const INPUT_COLS = ['inputs', 'input', 'request', 'vars'];
const EXPECTED_COLS = ['expected', 'expectations', 'expected_output', 'expected_response', 'ground_truth'];
const OUTPUT_COLS = ['output', 'outputs', 'response', 'actual', 'prediction'];
const PASS_COLS = ['pass', 'passed', 'success'];
const LATENCY_COLS = ['latency_ms', 'latency', 'duration_ms'];
const COST_COLS = ['cost_usd', 'cost'];
const ERROR_COLS = ['error', 'error_message', 'errors'];
// `<scorer>/score`, `<scorer>/value`, `score.<scorer>`, `scores.<scorer>`, `<scorer>_score`
const SCORE_COL = /^(?:scores?[./](.+)|(.+)\/(?:score|value)|(.+)_score)$/i;

/** Throws with a fix hint when the JSON is not a table; `source` names the artifact. */
export function parseEvalTable(json: string, source = 'eval_results_table.json'): EvalTable {
  let parsed: unknown;
  try { parsed = JSON.parse(json); } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message}); expected {"columns":[...],"data":[[...]]}`);
  }
  const t = parsed as Partial<EvalTable>;
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.data)) {
    throw new Error(`${source}: expected an object with "columns" (list of names) and "data" (list of rows)`);
  }
  return { columns: t.columns.map(String), data: t.data.map((r) => (Array.isArray(r) ? r : [])) };
}

export function readEvalCases(table: EvalTable): EvalCase[] {
  const lower = table.columns.map((c) => c.toLowerCase());
  const find = (names: string[]) => { for (const n of names) { const i = lower.indexOf(n); if (i >= 0) return i; } return -1; };
  const idCol = find(ID_COLS);
  const inCol = find(INPUT_COLS);
  const expCol = find(EXPECTED_COLS);
  const outCol = find(OUTPUT_COLS);
  const passCol = find(PASS_COLS);
  const latCol = find(LATENCY_COLS);
  const costCol = find(COST_COLS);
  const errCol = find(ERROR_COLS);
  const scoresCol = find(['scores', 'assessments']);
  const scoreCols: { idx: number; name: string }[] = [];
  table.columns.forEach((c, idx) => {
    const m = SCORE_COL.exec(c);
    if (m && idx !== scoresCol) scoreCols.push({ idx, name: m[1] ?? m[2] ?? m[3] });
  });

  const seen = new Map<string, number>();
  return table.data.map((row, rowIdx) => {
    const caseId = idCol >= 0 && row[idCol] != null ? String(row[idCol]) : undefined;
    const inputs = inCol >= 0 ? row[inCol] : undefined;
    let key = caseId !== undefined ? `id:${caseId}` : `in:${hashString(stableStringify(inputs ?? rowIdx))}`;
    // Repeated cases (same id or inputs) get an occurrence suffix so repeats join in order.
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (n > 0) key = `${key}#${n}`;
    const scores: Record<string, ScoreValue> = {};
    if (scoresCol >= 0) Object.assign(scores, toScores(row[scoresCol]));
    for (const s of scoreCols) scores[s.name] = toScoreValue(row[s.idx]);
    return {
      key,
      caseId,
      inputs,
      expected: expCol >= 0 ? row[expCol] : undefined,
      output: outCol >= 0 ? textOf(row[outCol]) : '',
      scores,
      pass: passCol >= 0 ? toBool(row[passCol]) : undefined,
      latencyMs: latCol >= 0 ? toNum(row[latCol]) : undefined,
      costUsd: costCol >= 0 ? toNum(row[costCol]) : undefined,
      error: errCol >= 0 && row[errCol] != null && row[errCol] !== '' ? textOf(row[errCol]) : undefined,
    };
  });
}

/** Strings as they are; everything else as JSON (so objects read the same on every run). */
export function textOf(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  return stableStringify(v);
}

export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  // Built by appending (no arrays of parts): the dataset check keys every row's vars with it.
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + stableStringify(v[i]);
    return `${s}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      sorted = false;
      keys.sort();
      break;
    }
  }
  // Keys already in order over plain values (a dataset row's vars, nearly always): JSON.stringify
  // writes exactly this, in one native call. Anything it would drop or convert differently
  // (undefined, nested objects, a toJSON) takes the walk below.
  if (sorted && typeof o.toJSON !== 'function' && keys.every((k) => isPlainValue(o[k]))) return JSON.stringify(o);
  let s = '{';
  for (let i = 0; i < keys.length; i++) s += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${stableStringify(o[keys[i]])}`;
  return `${s}}`;
}

function isPlainValue(x: unknown): boolean {
  return x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
}

/** FNV-1a 64-bit (as two 32-bit halves): a join key, not a security hash. */
export function hashString(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

function toScores(v: unknown): Record<string, ScoreValue> {
  let obj = v;
  if (typeof v === 'string') { try { obj = JSON.parse(v); } catch { return {}; } }
  if (!obj || typeof obj !== 'object') return {};
  const out: Record<string, ScoreValue> = {};
  if (Array.isArray(obj)) {
    // mlflow.genai style: a list of {name, value, …} feedback entries.
    for (const f of obj) {
      if (f && typeof f === 'object' && 'name' in f) out[String((f as { name: unknown }).name)] = toScoreValue((f as { value?: unknown }).value ?? (f as { score?: unknown }).score);
    }
    return out;
  }
  for (const [k, s] of Object.entries(obj as Record<string, unknown>)) {
    out[k] = s && typeof s === 'object' && !Array.isArray(s) ? toScoreValue((s as { value?: unknown; score?: unknown }).score ?? (s as { value?: unknown }).value) : toScoreValue(s);
  }
  return out;
}

function toScoreValue(v: unknown): ScoreValue {
  if (v == null) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return stableStringify(v);
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') { const s = v.toLowerCase(); if (['true', 'yes', '1', 'pass', 'passed'].includes(s)) return true; if (['false', 'no', '0', 'fail', 'failed'].includes(s)) return false; }
  return undefined;
}

function toNum(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
