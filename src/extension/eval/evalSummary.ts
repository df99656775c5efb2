// The one-line result of an eval for the notification: pass rate, thresholds, per model.
import type { SuiteResult } from '../../core/eval/runner';

function pct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : `${Math.round(v * 1000) / 10}%`;
}

export function summarizeSuiteResult(r: SuiteResult, suiteName: string): { text: string; severity: 'info' | 'warning' | 'error' } {
  const perModel = r.runs.map((run) => {
    const total = run.rows.length;
    const passed = run.rows.filter((x) => x.pass).length;
    const failedChecks = run.thresholds.filter((t) => !t.pass).map((t) => t.metric);
    const held = run.thresholds.length === 0 ? 'no thresholds'
      : failedChecks.length === 0 ? 'thresholds held' : `thresholds missed: ${failedChecks.join(', ')}`;
    const status = run.status === 'FINISHED' ? '' : ` [${run.status}${run.error ? `: ${run.error}` : ''}]`;
    return `${run.model}: pass rate ${pct(run.metrics.pass_rate)} (${passed}/${total}), ${held}${status}`;
  });
  const head = r.cancelled ? `Eval ${suiteName} cancelled (run KILLED, partial results kept)`
    : r.passed ? `Eval ${suiteName} passed` : `Eval ${suiteName} did not pass`;
  const severity = r.status === 'FAILED' ? 'error' : r.passed ? 'info' : 'warning';
  return { text: `${head}. ${perModel.join('; ')}`, severity };
}
