// Problems found in a suite or its dataset, positioned for an editor (Problems panel) and for
// terminal messages (`file:line:column: message`). Lines and columns are 1-based.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Absolute path of the file the problem is in (the suite, or its dataset). */
  file: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** How to fix it, in one sentence. */
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic, relativeTo?: (file: string) => string): string {
  const where = `${relativeTo ? relativeTo(d.file) : d.file}:${d.line}:${d.column}`;
  return `${where}: ${d.severity}: ${d.message}${d.hint ? ` (fix: ${d.hint})` : ''}`;
}

export class EvalSuiteError extends Error {
  constructor(readonly file: string, readonly diagnostics: Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n') || `invalid eval suite ${file}`);
    this.name = 'EvalSuiteError';
  }
}

/** The closest of `known` to `word` (for "did you mean …?" hints), if reasonably close. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
