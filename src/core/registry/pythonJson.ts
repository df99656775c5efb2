// Python's `json.dumps(value)` with its defaults (separators ", " and ": ", ensure_ascii): the
// exact text MLflow's Python client writes into prompt tags, so a chat prompt we register reads
// byte-for-byte like one registered from Python (and MLflow's UI shows the same text).
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  return pythonString(String(value));
}

function pythonString(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as Python does; then
  // every non-ASCII UTF-16 unit becomes \uXXXX (astral characters as their surrogate pair).
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
