// `prompt-ledger eval <suite…>`: runs suites, prints progress and a summary, writes JSON/JUnit,
// and turns the outcome into an exit code (0 thresholds hold, 1 they do not, 2 bad input).
import fs from 'node:fs';
import path from 'node:path';
import { loadSuite } from '../core/eval/suiteLoader';
import { MAX_CONCURRENCY } from '../core/eval/suiteSchema';
import { BudgetUnpricedError, ResumeRefusedError, runSuite, type ResumeRequest, type SuiteResult } from '../core/eval/runner';
import type { ShardSpec } from '../core/eval/shards';
import { JournalBusyError } from '../core/eval/caseJournal';
import { EvalSuiteError, formatDiagnostic } from '../core/eval/diagnostics';
import { DatasetValidationError } from '../core/eval/validation/validateSuite';
import { BaselineRefError, checkAgainstBaseline, resolveBaseline } from './baselineGate';
import type { ResolvedRun } from '../core/compare/baselineRun';
import { UntrustedWorkspaceError } from '../core/eval/scorers/types';
import { EMBEDDED_DIR_NAME, openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { combineDeliveries } from '../core/tracking/traces/traceSink';
import { MlflowStore } from '../core/tracking/mlflow/mlflowStore';
import { createProgressReporter } from './progressReporter';
import { junitXml } from './junitReport';
import { jsonReport } from './jsonReport';
import { EXIT, type CliIo } from './cliIo';
import { parseCommandArgs } from './commandArgs';
import { checkGroupOption, positiveInt, resumeRequest, shardOption, UsageError, withResumeId } from './evalOptions';
import { printEstimate, printMerge, printSummary } from './evalOutput';
import { mergeCommand } from './mergeCommand';
import { tuneHeapForLongRuns } from './heapTuning';
import { pushDatasetStep } from './pushDatasetStep';

export { EXIT, type CliIo } from './cliIo';
import { RevisionNotFoundError, suiteAtRevision } from './evalAt';


export const EVAL_USAGE = `Usage: prompt-ledger eval <suite.eval.yaml…> [options]

Options:
  --tracking-uri <uri>     MLflow server (http://…) or embedded store folder
                           (default: $MLFLOW_TRACKING_URI, else ./.promptledger)
  --concurrency <n>        parallel model calls, at most ${MAX_CONCURRENCY} (default: the suite's, else 4)
  --repeat <n>             samples per case (default: the suite's, else 1)
  --min-pass-rate <x>      fail unless pass_rate ≥ x (0..1), overriding the suite
  --output <json|junit>    machine-readable results
  --output-file <file>     write them to a file (default: stdout)
  --model <label>          only run this model (repeatable), e.g. echo, openai:gpt-4o-mini
  --no-cache               do not read or write the response cache
  --resume [<run-id>]      continue an interrupted or cancelled run under the same id, sending
                           only the cases it has not recorded (default: the suite's latest one)
  --retry-errors <run-id>  re-run only the cases of that run that ended in an error
  --at <rev>               run the prompts as they were at a git revision: a version (v3), a commit,
                           a branch or HEAD~2 (read from git; the working copy is not touched)
  --force-new              with --resume/--retry-errors: start a new run when the prompt, dataset
                           or suite changed since (otherwise that is refused)
  --no-validate            run even when \`prompt-ledger validate\` finds errors in the dataset
  --baseline <run-id|prompt@alias>
                           compare each run with this run (or the latest run linked to the
                           registry version the alias points at); exit 1 on a significant
                           regression (95 % interval wholly worse), pass changes within noise
  --baseline-markdown <f>  also write those comparisons as Markdown (for a PR comment)
  --push-dataset           also sync the dataset to an MLflow evaluation dataset of the experiment
                           (servers with a SQL backend; the suite's push_dataset: true does the same)
  --dry-run                print the calls, estimated tokens and cost per run; send nothing
  --max-cost <usd>         stop before spending more than this (overrides the suite's budget);
                           the run ends KILLED with reason budget and can be --resume'd
  --shard <i/n>            run only shard i of n (cases whose index mod n is i-1), with --group
  --group <id>             shards sharing this id (e.g. the CI pipeline id) file their runs under
                           one parent run; the last shard to finish merges the metrics onto it
  --merge <group>          compute the suite's metrics over all shards of a group now
  -h, --help               show this help

Exit codes: 0 all thresholds hold, 1 a threshold failed or a run failed, 2 bad input,
3 stopped by the budget, 130 cancelled.
`;


export async function evalCommand(argv: string[], io: CliIo): Promise<number> {
  tuneHeapForLongRuns();
  const parsed = parseCommandArgs(withResumeId(argv), io, {
    command: 'eval',
    usage: EVAL_USAGE,
    options: {
      'tracking-uri': { type: 'string' },
      concurrency: { type: 'string' },
      repeat: { type: 'string' },
      'min-pass-rate': { type: 'string' },
      output: { type: 'string' },
      'output-file': { type: 'string' },
      model: { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      resume: { type: 'boolean' },
      'resume-id': { type: 'string' },
      'retry-errors': { type: 'string' },
      'force-new': { type: 'boolean' },
      at: { type: 'string' },
      'no-validate': { type: 'boolean' },
      'push-dataset': { type: 'boolean' },
      baseline: { type: 'string' },
      'baseline-markdown': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'max-cost': { type: 'string' },
      shard: { type: 'string' },
      group: { type: 'string' },
      merge: { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;

  let concurrency: number | undefined;
  let repeat: number | undefined;
  let minPassRate: number | undefined;
  let resume: ResumeRequest | undefined;
  let maxCostUsd: number | undefined;
  let shard: ShardSpec | undefined;
  const merge = values.merge as string | undefined;
  const dryRun = !!values['dry-run'];
  const output = values.output as string | undefined;
  try {
    if (positionals.length === 0 && merge === undefined) throw new UsageError('name at least one suite file (*.eval.yaml)');
    shard = shardOption(values);
    if (merge !== undefined) {
      checkGroupOption(merge);
      if (shard || values.resume || values['retry-errors'] || dryRun) throw new UsageError('--merge only merges: use it without --shard, --resume, --retry-errors or --dry-run');
    }
    concurrency = positiveInt('--concurrency', values.concurrency as string | undefined);
    if (concurrency !== undefined && concurrency > MAX_CONCURRENCY) throw new UsageError(`--concurrency must be at most ${MAX_CONCURRENCY}, got ${concurrency}`);
    repeat = positiveInt('--repeat', values.repeat as string | undefined);
    if (values['min-pass-rate'] !== undefined) {
      minPassRate = Number(values['min-pass-rate']);
      if (!Number.isFinite(minPassRate) || minPassRate < 0 || minPassRate > 1) throw new UsageError(`--min-pass-rate must be between 0 and 1, got '${values['min-pass-rate']}'`);
    }
    if (output !== undefined && output !== 'json' && output !== 'junit') throw new UsageError(`--output must be json or junit, got '${output}'`);
    if (values['output-file'] !== undefined && output === undefined) throw new UsageError('--output-file needs --output json or --output junit');
    resume = resumeRequest(values, positionals.length);
    if (values.at !== undefined && resume) throw new UsageError('--at starts a new run of an older version: use it without --resume or --retry-errors');
    if (values['max-cost'] !== undefined) {
      maxCostUsd = Number(values['max-cost']);
      if (!Number.isFinite(maxCostUsd) || maxCostUsd <= 0) throw new UsageError(`--max-cost must be a positive amount of USD, e.g. 2.50, got '${values['max-cost']}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`prompt-ledger eval: ${err.message}\n\n${EVAL_USAGE}`);
      return EXIT.badInput;
    }
    throw err;
  }

  const rel = (f: string) => path.relative(io.cwd, f) || f;
  // Human-readable text goes to stderr when machine output goes to stdout.
  const human = output && !values['output-file'] ? io.stderr : io.stdout;

  // Load every suite first: a typo in the third suite should not cost a run of the first two.
  const suites = [];
  let bad = false;
  for (const file of positionals) {
    try {
      const suite = loadSuite(path.resolve(io.cwd, file));
      for (const w of suite.warnings) io.stderr.write(`${formatDiagnostic(w, rel)}\n`);
      suites.push(suite);
    } catch (err) {
      if (!(err instanceof EvalSuiteError)) throw err;
      for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d, rel)}\n`);
      bad = true;
    }
  }
  if (bad) return EXIT.badInput;

  if (merge !== undefined) return mergeCommand(merge, suites, io, values['tracking-uri'] as string | undefined);

  let store: TrackingStore;
  try {
    const resolved = resolveTrackingUri({ setting: values['tracking-uri'] as string | undefined, env: io.env, workspaceRoot: io.cwd });
    // The editor's journal folder: writes a server cannot take now wait there, and the next eval
    // (or the editor) on this workspace delivers them first, in order.
    store = await openTrackingStore(resolved, { env: io.env, journalDir: path.join(io.cwd, EMBEDDED_DIR_NAME, 'journal') });
  } catch (err) {
    io.stderr.write(`prompt-ledger eval: tracking store: ${(err as Error).message}\n`);
    return EXIT.badInput;
  }
  // The baseline is found before anything is spent.
  let baseline: ResolvedRun | undefined;
  let regressed = false;
  if (values.baseline !== undefined && !dryRun) {
    try {
      baseline = await resolveBaseline(store, values.baseline as string);
    } catch (err) {
      await store.close().catch(() => undefined);
      if (!(err instanceof BaselineRefError)) throw err;
      io.stderr.write(`prompt-ledger eval: --baseline: ${err.message}\n`);
      return EXIT.badInput;
    }
  }

  const results: SuiteResult[] = [];
  try {
    for (const suite of suites) {
      const reporter = createProgressReporter(io.isTty ? io.stderr : human, path.basename(suite.filePath), io.isTty);
      let result: SuiteResult;
      try {
        const at = values.at !== undefined ? await suiteAtRevision(suite, values.at as string, human) : undefined;
        result = await runSuite(at?.suite ?? suite, {
          ...at?.overrides,
          store, workspaceRoot: io.cwd, trusted: true, concurrency, repeat, minPassRate, noCache: !!values['no-cache'],
          cacheDir: path.join(io.cwd, '.promptledger', 'cache'), signal: io.signal, onProgress: (p) => reporter.update(p),
          providerCtx: { env: io.env }, models: values.model as string[] | undefined,
          resume, dryRun, maxCostUsd, shard, keepRows: output !== undefined, noValidate: !!values['no-validate'],
          // The summary prints as soon as the results are recorded; the traces finish after (below).
          deferTraces: true,
          confirmCost: (e) => {
            printEstimate(human, rel(suite.filePath), e, dryRun);
            return true;
          },
        });
      } catch (err) {
        reporter.done();
        if (err instanceof BudgetUnpricedError) {
          io.stderr.write(`prompt-ledger eval: ${err.message}\n`);
          return EXIT.badInput;
        }
        if (err instanceof EvalSuiteError) {
          for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d, rel)}\n`);
          if (err instanceof DatasetValidationError) io.stderr.write(`prompt-ledger eval: ${rel(suite.filePath)}: nothing was sent; fix the errors above or pass --no-validate to run anyway\n`);
          return EXIT.badInput;
        }
        if (err instanceof ResumeRefusedError || err instanceof JournalBusyError) {
          io.stderr.write(`prompt-ledger eval: ${err.message}\n`);
          return EXIT.badInput;
        }
        if (err instanceof RevisionNotFoundError) {
          io.stderr.write(`prompt-ledger eval: --at: ${err.message}\n`);
          return EXIT.badInput;
        }
        if (err instanceof UntrustedWorkspaceError) {
          io.stderr.write(`${err.message}\n`);
          return EXIT.badInput;
        }
        throw err;
      }
      reporter.done();
      if (result.dryRun) {
        printEstimate(human, rel(suite.filePath), result.estimate, true);
        continue;
      }
      if (result.startedNewBecause) io.stderr.write(`prompt-ledger eval: --force-new: started a new run. ${result.startedNewBecause}\n`);
      if (result.resumed) {
        const r = result.resumed;
        human.write(`${r.mode === 'resume' ? 'Resumed' : 'Retried errors of'} run ${r.runId}: ${r.alreadyDone} rows were recorded before, ${r.rerun} ${r.mode === 'resume' ? 'were left to run' : 'errored and ran again'}.\n`);
      }
      results.push(result);
      printSummary(human, result, rel);
      if (values['push-dataset'] || suite.spec.push_dataset) await pushDatasetStep(store, suite, result, io.cwd, human, io.stderr);
      if (result.shard) {
        if (result.merge) printMerge(human, result.merge);
        else if (result.mergeError) io.stderr.write(`prompt-ledger eval: merging group ${result.shard.group}: ${result.mergeError}\n`);
      }
      if (result.stopReason === 'budget' && result.budget) {
        const killed = result.runs.find((r) => r.stopReason === 'budget');
        human.write(`Stopped by the budget: $${result.budget.spentUsd.toFixed(4)} spent of $${result.budget.maxUsd}; the next calls would have gone past it. ${killed ? `Continue with --resume ${killed.runId} (and a budget for the rest).` : ''}\n`);
      }
      if (result.cancelled || result.stopReason) break;
    }
    if (baseline && results.length && !results.some((r) => r.cancelled || r.stopReason)) {
      const gate = await checkAgainstBaseline(store, baseline, results, human);
      regressed = gate.regressed;
      if (values['baseline-markdown']) {
        const file = path.resolve(io.cwd, values['baseline-markdown'] as string);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, gate.markdown);
      }
    }
  } finally {
    await awaitCaseTraces(results, store.location, human, io.stderr);
    await reportJournaledWrites(store, io);
    await store.close().catch(() => undefined);
  }

  if (dryRun) return EXIT.ok;
  if (output) {
    const text = output === 'json' ? jsonReport(results, store.location) : junitXml(results);
    if (values['output-file']) {
      const file = path.resolve(io.cwd, values['output-file'] as string);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    } else {
      io.stdout.write(text);
    }
  }
  if (results.some((r) => r.cancelled)) return EXIT.cancelled;
  if (results.some((r) => r.stopReason === 'budget')) return EXIT.budget;
  // A shard is judged by the merge when it was the last (thresholds hold over all cases, not its slice);
  // until then by whether its runs finished.
  const ok = (r: SuiteResult) => (r.shard ? (r.merge?.complete ? r.merge.passed : r.status === 'FINISHED') : r.passed);
  return results.length === suites.length && results.every(ok) && !regressed ? EXIT.ok : EXIT.thresholds;
}


/** The case traces still on their way once the summaries are out: none is dropped by exiting. */
async function awaitCaseTraces(results: SuiteResult[], location: string, human: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<void> {
  const t0 = Date.now();
  const { traces, error } = combineDeliveries(await Promise.all(results.map((r) => r.traces)));
  const waited = Date.now() - t0;
  if (waited >= 1000) human.write(`Case traces: ${traces} written to ${location}, the last ${(waited / 1000).toFixed(1)} s after the results.\n`);
  if (error) stderr.write(`prompt-ledger eval: some case traces were not written: ${error}\n`);
}

/** One last delivery attempt; what the server still could not take is named, never dropped. */
async function reportJournaledWrites(store: TrackingStore, io: CliIo): Promise<void> {
  if (!(store instanceof MlflowStore)) return;
  await store.flushJournal().catch(() => 0);
  const waiting = store.pendingCount();
  if (waiting === 0) return;
  io.stderr.write(`prompt-ledger eval: the MLflow server at ${store.location} could not take ${waiting} write${waiting === 1 ? '' : 's'} (run results, traces) yet; they are kept in ${path.join(EMBEDDED_DIR_NAME, 'journal')} and the next prompt-ledger eval here (or the editor) delivers them.\n`);
}
