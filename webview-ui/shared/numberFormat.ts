// How the panels write numbers and durations; no DOM here, so Node unit tests import it directly.

export function formatNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  // Trailing zeros go only after a decimal point (toFixed(0) of 0.4 is "0", not "").
  const fixed = v.toFixed(abs >= 100 ? Math.min(1, digits) : digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A duration for people: "0 ms", "<1 ms" for cached/echo calls, "4.2 ms", "120 ms", "2.5 s". */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v) || v < 0) return '—';
  if (v === 0) return '0 ms';
  if (v < 1) return '<1 ms';
  if (v < 10) return `${v.toFixed(1).replace(/\.0$/, '')} ms`;
  if (v < 10_000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(1).replace(/\.0$/, '')} s`;
}

export function formatDelta(v: number | null, rel: number | null): string {
  if (v === null) return '';
  if (v === 0) return '±0';
  const sign = v > 0 ? '+' : '−';
  const pct = rel === null ? '' : ` (${sign}${Math.abs(rel * 100).toFixed(1)}%)`;
  return `${sign}${formatNumber(Math.abs(v))}${pct}`;
}
