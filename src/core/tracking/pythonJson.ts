// Python's `json.dumps(value)` (separators ", " and ": "): the exact text MLflow's Python client
// writes into prompt tags (ensure_ascii, the default) and trace metadata (ensure_ascii=False), so
// what we write reads byte-for-byte like what Python writes, and MLflow's UI shows the same text.
export function pythonJsonDumps(value: unknown, opts: { ensureAscii?: boolean } = {}): string {
  const ascii = opts.ensureAscii ?? true;
  const dumps = (v: unknown): string => pythonJsonDumps(v, opts);
  const str = (v: string): string => (ascii ? pythonString(v) : JSON.stringify(v));
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(dumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${str(k)}: ${dumps(v)}`).join(', ')}}`;
  }
  return str(String(value));
}

function pythonString(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as Python does; then
  // every non-ASCII UTF-16 unit becomes \uXXXX (astral characters as their surrogate pair).
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
