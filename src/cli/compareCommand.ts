// `prompt-ledger compare <run> <run>`: the second run against the first (the baseline) — metric
// deltas and, for pass rate and scorer means, the paired 95 % interval and whether the change is
// within noise. As a table, JSON, or Markdown ready for a PR comment.
import { loadComparison } from '../core/compare/loadComparison';
import { compareReport, formatCompareMarkdown, formatCompareTable, type CompareReport } from '../core/compare/compareReport';
import { BaselineRefError, resolveRunRef } from '../core/compare/baselineRun';
import type { TrackingStore } from '../core/tracking/types';
import { EXIT, type CliIo } from './evalCommand';
import { openCommandStore, parseCommandArgs } from './commandArgs';

export const COMPARE_USAGE = `Usage: prompt-ledger compare <baseline> <candidate> [options]

Each run is a run id or prompt@alias (the latest finished eval run linked to the registry
version that alias points at). Pass rate and each scorer's mean get the paired difference on
the cases both runs share, with a 95 % interval (paired bootstrap, fixed seed); an interval that
includes 0 is "within noise".

Options:
  --output <table|json|markdown>  (default table; markdown is ready for a PR comment)
  --fail-on-regression     exit 1 when a quality metric got significantly worse
  --tracking-uri <uri>     MLflow server (http://…) or embedded store folder
  -h, --help               show this help
`;

export function formatReport(r: CompareReport, output: string): string {
  return output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : output === 'markdown' ? formatCompareMarkdown(r) : formatCompareTable(r);
}

/** Loads both runs' tables and builds the report (the baseline first). */
export async function compareRuns(store: TrackingStore, baselineRunId: string, candidateRunId: string): Promise<{ report: CompareReport; warnings: string[] }> {
  const { model, warnings } = await loadComparison(store, [baselineRunId, candidateRunId], baselineRunId);
  return { report: compareReport(model, 1), warnings };
}

export async function compareCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'compare', usage: COMPARE_USAGE,
    options: { output: { type: 'string' }, 'fail-on-regression': { type: 'boolean' }, 'tracking-uri': { type: 'string' } },
    check: ({ values, positionals }) => {
      if (positionals.length !== 2) throw new Error(`name two runs, the baseline then the candidate (got ${positionals.length})`);
      if (values.output !== undefined && !['table', 'json', 'markdown'].includes(values.output as string)) throw new Error(`--output must be table, json or markdown, got '${values.output}'`);
    },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const store = await openCommandStore(io, 'compare', values['tracking-uri']);
  if (typeof store === 'number') return store;
  try {
    const [a, b] = [await resolveRunRef(store, positionals[0]), await resolveRunRef(store, positionals[1])];
    for (const r of [a, b]) if (r.via) io.stderr.write(`${r.via.prompt}@${r.via.alias} = version ${r.via.version}: run ${r.runId} (${r.runName})\n`);
    const { report, warnings } = await compareRuns(store, a.runId, b.runId);
    for (const w of warnings) io.stderr.write(`prompt-ledger compare: ${w}\n`);
    if (report.pairedCases === 0) io.stderr.write('prompt-ledger compare: the runs share no cases (or one has no eval_results_table.json): metric deltas only\n');
    io.stdout.write(formatReport(report, (values.output as string | undefined) ?? 'table'));
    return values['fail-on-regression'] && report.regressions.length ? EXIT.thresholds : EXIT.ok;
  } catch (err) {
    if (err instanceof BaselineRefError) { io.stderr.write(`prompt-ledger compare: ${err.message}\n`); return EXIT.badInput; }
    throw err;
  } finally {
    await store.close().catch(() => undefined);
  }
}
