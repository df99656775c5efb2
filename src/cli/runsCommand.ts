// `prompt-ledger runs [<suite.eval.yaml>]`: the latest runs (of one suite, or of every
// experiment), with their state: a RUNNING run whose process died shows as INTERRUPTED with how
// many cases it recorded, ready for `prompt-ledger eval <suite> --resume`.
import path from 'node:path';
import { loadSuite } from '../core/eval/suiteLoader';
import { EvalSuiteError, formatDiagnostic } from '../core/eval/diagnostics';
import { relTo, TAGS } from '../core/eval/runContext';
import { caseJournalPath } from '../core/eval/caseJournal';
import { runProgressView } from '../core/eval/runLiveness';
import { parseFilter, quoteFilterValue } from '../core/tracking/filter';
import type { Run } from '../core/tracking/types';
import { EXIT, type CliIo } from './evalCommand';
import { openCommandStore, parseCommandArgs } from './commandArgs';

export const RUNS_USAGE = `Usage: prompt-ledger runs [<suite.eval.yaml>] [options]

Lists the latest runs (of that suite, else of every experiment), newest first. A run whose
process died shows as INTERRUPTED with the cases it recorded; continue it with
\`prompt-ledger eval <suite> --resume [<run-id>]\`.

Options:
  --tracking-uri <uri>     MLflow server (http://…) or embedded store folder
  --limit <n>              at most n runs (default 20)
  --experiment <name>      only runs of this experiment
  --filter <text>          MLflow filter text, e.g. "metrics.pass_rate > 0.8 and params.model = 'gpt-4o'"
  -h, --help               show this help
`;

export async function runsCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'runs', usage: RUNS_USAGE,
    options: { 'tracking-uri': { type: 'string' }, limit: { type: 'string' }, experiment: { type: 'string' }, filter: { type: 'string' } },
    check: ({ values, positionals }) => {
      if (positionals.length > 1) throw new Error(`name at most one suite file (got ${positionals.length})`);
      if (positionals.length && values.experiment !== undefined) throw new Error('name either a suite or --experiment, not both');
      // MLflow's filter grammar, checked here so a typo gets the parser's message, not an empty list.
      if (values.filter !== undefined) parseFilter(values.filter as string);
      if (values.limit !== undefined && !(Number.isInteger(Number(values.limit)) && Number(values.limit) >= 1)) throw new Error(`--limit must be a whole number ≥ 1, got '${values.limit}'`);
    },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const limit = Number(values.limit ?? 20);
  let suite: { rel: string; experiment: string } | undefined;
  if (positionals[0]) {
    try {
      const s = loadSuite(path.resolve(io.cwd, positionals[0]));
      suite = { rel: relTo(io.cwd, s.filePath), experiment: s.experiment };
    } catch (err) {
      if (!(err instanceof EvalSuiteError)) throw err;
      for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d, (f) => path.relative(io.cwd, f) || f)}\n`);
      return EXIT.badInput;
    }
  }
  const store = await openCommandStore(io, 'runs', values['tracking-uri']);
  if (typeof store === 'number') return store;
  try {
    let experimentIds: string[];
    if (suite || values.experiment !== undefined) {
      const name = suite?.experiment ?? (values.experiment as string);
      const exp = await store.getExperimentByName(name);
      if (!exp && !suite) {
        io.stderr.write(`prompt-ledger runs: no experiment named '${name}' in ${store.location}\n`);
        return EXIT.badInput;
      }
      experimentIds = exp ? [exp.experimentId] : [];
    } else {
      experimentIds = (await store.searchExperiments({ maxResults: 1000 })).items.map((e) => e.experimentId);
    }
    const runs: Run[] = experimentIds.length === 0 ? [] : (await store.searchRuns({
      experimentIds, maxResults: limit, orderBy: ['attributes.start_time DESC'],
      filter: [suite ? `tags."${TAGS.suite}" = ${quoteFilterValue(suite.rel)}` : undefined, values.filter as string | undefined].filter(Boolean).join(' and ') || undefined,
    })).items;
    if (runs.length === 0) {
      io.stdout.write(suite ? `No runs of ${suite.rel} in ${store.location}.\n` : `No runs in ${store.location}.\n`);
      return EXIT.ok;
    }
    for (const run of runs) {
      const v = runProgressView(run, caseJournalPath(store, io.cwd, run.info.runId));
      const cases = v.done !== undefined ? `${v.done}${v.total !== undefined ? `/${v.total}` : ''} cases` : '';
      const when = new Date(run.info.startTime).toISOString().replace('T', ' ').slice(0, 19);
      io.stdout.write(`${run.info.runId}  ${v.state.toUpperCase().padEnd(11)}  ${cases.padEnd(17)}  ${when}  ${run.info.runName}${v.why ? `  (${v.why})` : ''}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close().catch(() => undefined);
  }
}
