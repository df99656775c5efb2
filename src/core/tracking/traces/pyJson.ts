import { pythonJsonDumps } from '../pythonJson';

// JSON as Python's json.dumps(ensure_ascii=False) writes it (", " and ": " separators), which is
// how MLflow's client fills trace metadata and previews; and truncation the way MLflow cuts.
export function pyDumps(v: unknown): string {
  return pythonJsonDumps(v, { ensureAscii: false });
}

/** Cuts to `max` characters, ending with "..." like MLflow's truncation helpers. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}
