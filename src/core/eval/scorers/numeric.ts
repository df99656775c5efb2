// Numeric closeness: the output's number (the whole output, else the first number in it)
// against the expected value, within an absolute and/or relative tolerance.

export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/,(?=\d{3}\b)/g, '');
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  const m = trimmed.match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/);
  return m ? Number(m[0]) : undefined;
}

export function numericClose(actual: number, expected: number, tolerance = 0, relTolerance = 0): boolean {
  const allowed = Math.max(tolerance, relTolerance * Math.abs(expected));
  // A tiny epsilon so 0.1 + 0.2 vs 0.3 with tolerance 0 still passes.
  return Math.abs(actual - expected) <= allowed + 1e-12 * Math.max(1, Math.abs(expected));
}
