// JSON as Python's json.dumps(ensure_ascii=False) writes it (", " and ": " separators), which is
// how MLflow's client fills trace metadata and previews; and truncation the way MLflow cuts.
export function pyDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'NaN';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`);
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(String(v));
}

/** Cuts to `max` characters, ending with "..." like MLflow's truncation helpers. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}
