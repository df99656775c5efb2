// `prompt-ledger eval --baseline <run-id|prompt@alias>`: after the suite ran, each new run is
// compared with the baseline run on their shared cases; a quality metric (pass rate, a scorer's
// mean) whose 95 % interval lies wholly on the worse side is a significant regression and fails
// the build. Changes within noise pass. The baseline is resolved before anything is spent.
import type { TrackingStore } from '../core/tracking/types';
import { resolveRunRef, type ResolvedRun } from '../core/compare/baselineRun';
import type { SuiteResult } from '../core/eval/runner';
import { compareRuns, formatReport } from './compareCommand';

export { BaselineRefError } from '../core/compare/baselineRun';

export function resolveBaseline(store: TrackingStore, ref: string): Promise<ResolvedRun> {
  return resolveRunRef(store, ref);
}

/**
 * Prints each run's comparison as a table; `regressed` when any run got significantly worse.
 * `markdown` holds the same comparisons for a PR comment (`--baseline-markdown <file>`).
 */
export async function checkAgainstBaseline(store: TrackingStore, baseline: ResolvedRun, results: SuiteResult[], out: NodeJS.WritableStream): Promise<{ regressed: boolean; markdown: string }> {
  let regressed = false;
  const markdown: string[] = [];
  const via = baseline.via ? ` (${baseline.via.prompt}@${baseline.via.alias}, version ${baseline.via.version})` : '';
  for (const run of results.flatMap((s) => s.runs)) {
    const { report } = await compareRuns(store, baseline.runId, run.runId);
    out.write(`\nAgainst baseline ${baseline.runName}${via}:\n`);
    out.write(formatReport(report, 'table'));
    markdown.push(formatReport(report, 'markdown'));
    if (report.regressions.length) regressed = true;
  }
  return { regressed, markdown: markdown.join('\n') };
}
