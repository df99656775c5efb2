// `prompt-ledger reproduce <run-id>`: runs a recorded eval run again from what it recorded (prompt at
// its commit, dataset snapshot, exact params) and reports how the new run compares with it.
import path from 'node:path';
import { reproduceRun, ReproduceError, type ReproduceResult } from '../core/eval/reproduce';
import { EvalSuiteError, formatDiagnostic } from '../core/eval/diagnostics';
import { UntrustedWorkspaceError } from '../core/eval/scorers/types';
import { isTrackingError } from '../core/tracking/types';
import { EXIT, type CliIo } from './evalCommand';
import { createProgressReporter } from './progressReporter';
import { openCommandStore, parseCommandArgs } from './commandArgs';

export const REPRODUCE_USAGE = `Usage: prompt-ledger reproduce <run-id> [options]

Runs an eval run again from what it recorded: the prompt at the run's commit (else the registered
version it links, else its prompt artifact), the dataset snapshot logged with it, its model and
exact sampling params. With the run's answers in the response cache (.promptledger/cache) the
outputs and metrics are identical and nothing is sent. The new run is tagged
promptledger.reproducedFrom=<run-id>.

Options:
  --tracking-uri <uri>     MLflow server (http://…) or embedded store folder
                           (default: $MLFLOW_TRACKING_URI, else ./.promptledger)
  --offline                send nothing: fail, naming the request, if an answer is not cached
  --fresh                  ignore the cache: call the model again and compare with the original
  --concurrency <n>        parallel model calls (default: the suite's, else 4)
  --output json            the comparison as JSON on stdout
  -h, --help               show this help

Exit codes: 0 reproduced identically, 1 the new run differs (or failed), 2 bad input or nothing to
reproduce from, 130 cancelled.
`;

export async function reproduceCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'reproduce', usage: REPRODUCE_USAGE,
    options: {
      'tracking-uri': { type: 'string' }, offline: { type: 'boolean' }, fresh: { type: 'boolean' },
      concurrency: { type: 'string' }, output: { type: 'string' },
    },
    check: ({ values, positionals }) => {
      if (positionals.length !== 1 || !/^[0-9a-f]{32}$/i.test(positionals[0])) throw new Error(`name one run id (32 hex digits, as \`prompt-ledger runs\` lists them)${positionals[0] ? `, got '${positionals[0]}'` : ''}`);
      if (values.offline && values.fresh) throw new Error('--offline replays the cache and --fresh ignores it: use one');
      if (values.output !== undefined && values.output !== 'json') throw new Error(`--output must be json, got '${values.output}'`);
      if (values.concurrency !== undefined && !(Number.isInteger(Number(values.concurrency)) && Number(values.concurrency) >= 1)) throw new Error(`--concurrency must be a whole number ≥ 1, got '${values.concurrency}'`);
    },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const runId = positionals[0].toLowerCase();
  const human = values.output ? io.stderr : io.stdout;
  const store = await openCommandStore(io, 'reproduce', values['tracking-uri']);
  if (typeof store === 'number') return store;
  const reporter = createProgressReporter(io.isTty ? io.stderr : human, `reproduce ${runId.slice(0, 8)}`, io.isTty);
  let result: ReproduceResult;
  try {
    result = await reproduceRun(runId, {
      store, workspaceRoot: io.cwd, trusted: true, cacheDir: path.join(io.cwd, '.promptledger', 'cache'),
      concurrency: values.concurrency !== undefined ? Number(values.concurrency) : undefined,
      noCache: !!values.fresh, offline: !!values.offline, signal: io.signal, onProgress: (p) => reporter.update(p),
      providerCtx: { env: io.env },
    });
  } catch (err) {
    reporter.done();
    const rel = (f: string) => path.relative(io.cwd, f) || f;
    if (err instanceof EvalSuiteError) for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d, rel)}\n`);
    else if (err instanceof ReproduceError || err instanceof UntrustedWorkspaceError) io.stderr.write(`prompt-ledger reproduce: ${err.message}\n`);
    else if (isTrackingError(err, 'RESOURCE_DOES_NOT_EXIST')) io.stderr.write(`prompt-ledger reproduce: no run ${runId} in ${store.location}\n`);
    else throw err;
    return EXIT.badInput;
  } finally {
    await store.close().catch(() => undefined);
  }
  reporter.done();
  printReport(human, runId, result);
  if (values.output === 'json') io.stdout.write(`${JSON.stringify(jsonOf(runId, result), null, 2)}\n`);
  if (result.suiteResult.cancelled) return EXIT.cancelled;
  return result.identical ? EXIT.ok : EXIT.thresholds;
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

function printReport(out: NodeJS.WritableStream, runId: string, r: ReproduceResult): void {
  const { plan, run, cases } = r;
  out.write(`Reproducing run ${runId} (${plan.original.info.runName || runId}) · ${plan.model}\n`);
  out.write(`  suite: ${plan.sources.suite} · prompt: ${plan.sources.prompt} · dataset: ${plan.sources.dataset}\n`);
  for (const n of plan.notes) out.write(`  note: ${n}\n`);
  if (!run) {
    out.write('Nothing ran.\n');
    return;
  }
  const how = r.offline ? 'every answer from the response cache (nothing sent)' : `${r.servedFromCache}/${r.rowCount} answers from the cache, ${r.rowCount - r.servedFromCache} sent to the model`;
  const verdict = r.identical ? 'identical outputs and metrics' : run.status !== 'FINISHED' ? `${run.status}${run.error ? `: ${run.error}` : ''}` : 'differs from the original';
  out.write(`Reproduced as run ${run.runId}: ${verdict} — ${cases.identical}/${cases.compared} cases identical; ${how}.\n`);
  const width = Math.max(6, ...r.metrics.map((m) => m.key.length));
  out.write(`  ${'metric'.padEnd(width)}  ${'original'.padStart(10)}  ${'reproduced'.padStart(10)}\n`);
  for (const m of r.metrics) {
    const mark = m.equal ? '=' : m.informational ? '~' : '≠';
    out.write(`  ${m.key.padEnd(width)}  ${fmt(m.original).padStart(10)}  ${fmt(m.reproduced).padStart(10)}  ${mark}\n`);
  }
  if (r.metrics.some((m) => !m.equal && m.informational)) out.write('  (~ timing and cache metrics are shown but not compared)\n');
  for (const d of cases.differences.slice(0, 5)) {
    out.write(`  case ${d.caseId}${d.repeat ? ` #${d.repeat + 1}` : ''}: ${d.fields.join(', ')} differ${d.fields.length === 1 ? 's' : ''}\n    original:   ${(d.original ?? '').slice(0, 200)}\n    reproduced: ${(d.reproduced ?? '').slice(0, 200)}\n`);
  }
  if (cases.differences.length > 5) out.write(`  … ${cases.differences.length - 5} more differing cases\n`);
  if (cases.onlyInOriginal || cases.onlyInReproduced) out.write(`  ${cases.onlyInOriginal} cases only in the original, ${cases.onlyInReproduced} only in the new run\n`);
}

function jsonOf(runId: string, r: ReproduceResult) {
  return {
    original: runId, reproduced: r.run?.runId ?? null, status: r.run?.status ?? null, identical: r.identical, offline: r.offline,
    servedFromCache: r.servedFromCache, sources: r.plan.sources, notes: r.plan.notes, cases: r.cases, metrics: r.metrics,
  };
}
