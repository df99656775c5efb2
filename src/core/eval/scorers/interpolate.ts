// Scorer values may reference case variables (`{{topic}}`) and the expectation (`{{expected}}`),
// like promptfoo's nunjucks-rendered assertion values. Plain substitution is enough here and
// keeps regex patterns (which contain braces) intact unless they name a known variable.

export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function interpolate(template: string, vars: Record<string, unknown>, expected: unknown): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (whole, name: string) => {
    if (name === 'expected') return stringify(expected);
    if (Object.prototype.hasOwnProperty.call(vars, name)) return stringify(vars[name]);
    return whole;
  });
}

/** The scorer's `value` with variables filled in, or the case expectation when no value is set. */
export function resolveValue(value: unknown, vars: Record<string, unknown>, expected: unknown): unknown {
  if (value === undefined) return expected;
  if (typeof value === 'string') return interpolate(value, vars, expected);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? interpolate(v, vars, expected) : v));
  return value;
}
