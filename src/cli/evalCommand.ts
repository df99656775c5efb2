// `prompt-ledger eval <suite…>`: runs suites, prints progress and a summary, writes JSON/JUnit,
// and turns the outcome into an exit code (0 thresholds hold, 1 they do not, 2 bad input).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSuite } from '../core/eval/suiteLoader';
import { MAX_CONCURRENCY } from '../core/eval/suiteSchema';
import { BudgetUnpricedError, ResumeRefusedError, runSuite, type ResumeRequest, type SuiteResult } from '../core/eval/runner';
import { formatEstimate, type CostEstimate } from '../core/eval/costEstimate';
import { checkGroupId, parseShard, type ShardSpec } from '../core/eval/shards';
import { mergeShardGroup, ShardGroupError, type MergeOutcome } from '../core/eval/shardGroup';
import { JournalBusyError } from '../core/eval/caseJournal';
import { EvalSuiteError, formatDiagnostic } from '../core/eval/diagnostics';
import { DatasetValidationError } from '../core/eval/validation/validateSuite';
import { BaselineRefError, checkAgainstBaseline, resolveBaseline } from './baselineGate';
import type { ResolvedRun } from '../core/compare/baselineRun';
import { UntrustedWorkspaceError } from '../core/eval/scorers/types';
import { openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { createProgressReporter } from './progressReporter';
import { junitXml } from './junitReport';
import { jsonReport } from './jsonReport';
import { createNodeHttpFetch } from './nodeHttpFetch';
import { RevisionNotFoundError, suiteAtRevision } from './evalAt';

export const EXIT = { ok: 0, thresholds: 1, badInput: 2, budget: 3, cancelled: 130 } as const;

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

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
  signal?: AbortSignal;
}

class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1, got '${v}'`);
  return n;
}

export async function evalCommand(argv: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: withResumeId(argv),
      allowPositionals: true,
      strict: true,
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
        baseline: { type: 'string' },
        'baseline-markdown': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'max-cost': { type: 'string' },
        shard: { type: 'string' },
        group: { type: 'string' },
        merge: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr.write(`prompt-ledger eval: ${(err as Error).message}\n\n${EVAL_USAGE}`);
    return EXIT.badInput;
  }
  if (values.help) {
    io.stdout.write(EVAL_USAGE);
    return EXIT.ok;
  }

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
    store = await openTrackingStore(resolved, { env: io.env });
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
          providerCtx: { env: io.env, fetchImpl: createNodeHttpFetch() }, models: values.model as string[] | undefined,
          resume, dryRun, maxCostUsd, shard, keepRows: output !== undefined, noValidate: !!values['no-validate'],
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

const RUN_ID = /^[0-9a-f]{32}$/i;

/** `--resume <id>` takes an optional value: a following run id (32 hex digits) is moved to --resume-id. */
function withResumeId(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--resume=')) {
      out.push('--resume', `--resume-id=${a.slice('--resume='.length)}`);
    } else if (a === '--resume' && i + 1 < argv.length && RUN_ID.test(argv[i + 1])) {
      out.push('--resume', `--resume-id=${argv[++i]}`);
    } else {
      out.push(a);
    }
  }
  return out;
}

function resumeRequest(values: Record<string, string | boolean | string[] | undefined>, suites: number): ResumeRequest | undefined {
  const retry = values['retry-errors'] as string | undefined;
  const resumeId = values['resume-id'] as string | undefined;
  const forceNew = !!values['force-new'];
  if (!values.resume && retry === undefined) {
    if (forceNew) throw new UsageError('--force-new goes with --resume or --retry-errors');
    if (resumeId !== undefined) throw new UsageError('--resume-id is set by --resume <run-id>; use that form');
    return undefined;
  }
  if (values.resume && retry !== undefined) throw new UsageError('use either --resume or --retry-errors, not both');
  if (suites !== 1) throw new UsageError(`${values.resume ? '--resume' : '--retry-errors'} continues one run: name exactly one suite file (got ${suites})`);
  const runId = retry ?? resumeId;
  if (runId !== undefined && !RUN_ID.test(runId)) throw new UsageError(`'${runId}' is not a run id (32 hex digits, as \`prompt-ledger runs\` lists them)`);
  return { mode: retry !== undefined ? 'retry-errors' : 'resume', runId, forceNew };
}

function checkGroupOption(group: string): string {
  try {
    return checkGroupId(group);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function shardOption(values: Record<string, string | boolean | string[] | undefined>): ShardSpec | undefined {
  const text = values.shard as string | undefined;
  const group = values.group as string | undefined;
  if (text === undefined) {
    if (group !== undefined) throw new UsageError('--group goes with --shard i/n');
    return undefined;
  }
  if (group === undefined) throw new UsageError('--shard needs --group <id>, the same on every shard (e.g. the CI pipeline id), so the shards find one parent run');
  try {
    return { ...parseShard(text), group: checkGroupOption(group) };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** `--merge <group>`: the suite's metrics over all shards, on the group's parent run. */
async function mergeCommand(group: string, suites: { experiment: string }[], io: CliIo, trackingUri: string | undefined): Promise<number> {
  let store: TrackingStore;
  try {
    store = await openTrackingStore(resolveTrackingUri({ setting: trackingUri, env: io.env, workspaceRoot: io.cwd }), { env: io.env });
  } catch (err) {
    io.stderr.write(`prompt-ledger eval: tracking store: ${(err as Error).message}\n`);
    return EXIT.badInput;
  }
  try {
    let experimentIds: string[] | undefined;
    if (suites.length) {
      experimentIds = [];
      for (const s of suites) {
        const exp = await store.getExperimentByName(s.experiment);
        if (exp) experimentIds.push(exp.experimentId);
      }
    }
    const outcome = await mergeShardGroup(store, group, { experimentIds });
    printMerge(io.stdout, outcome);
    return outcome.complete && outcome.passed ? EXIT.ok : EXIT.thresholds;
  } catch (e) {
    if (!(e instanceof ShardGroupError)) throw e;
    io.stderr.write(`prompt-ledger eval: ${e.message}\n`);
    return EXIT.badInput;
  } finally {
    await store.close().catch(() => undefined);
  }
}

function printMerge(out: NodeJS.WritableStream, m: MergeOutcome): void {
  if (!m.complete) {
    out.write(`Group ${m.group}: not merged yet, waiting for ${m.missing.join(', ')}.\n`);
    return;
  }
  for (const g of m.merged) {
    const x = g.metrics;
    out.write(`Group ${m.group} · ${g.key}: merged ${g.shards} shards into run ${m.parentRunId} ${g.thresholds.every((t) => t.pass) ? 'PASS' : 'FAIL'}  pass_rate=${fmt(x.pass_rate)} cases=${fmt(x.case_count)} errors=${fmt(x.error_count)} p50=${fmt(x['latency_ms/p50'])}ms cost=$${fmt(x['cost_usd/total'])}\n`);
    for (const t of g.thresholds) out.write(`  ${t.pass ? '✓' : '✗'} ${t.metric} = ${fmt(t.value)} (needs ${t.op === 'min' ? '≥' : '≤'} ${t.limit})\n`);
  }
}

/** The cost preflight: per run, and the total when there are several. */
function printEstimate(out: NodeJS.WritableStream, suiteRel: string, e: CostEstimate, dryRun: boolean): void {
  const head = dryRun ? 'Dry run (nothing sent)' : 'Estimate';
  if (e.runs.length === 1) {
    out.write(`${head} · ${suiteRel} · ${e.runs[0].model}: ${formatEstimate(e)}\n`);
    return;
  }
  out.write(`${head} · ${suiteRel}: ${formatEstimate(e)}\n`);
  for (const r of e.runs) out.write(`  ${r.runName}: ${formatEstimate(r)}\n`);
}

function fmt(v: number | undefined): string {
  if (v === undefined) return 'missing';
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function printSummary(out: NodeJS.WritableStream, s: SuiteResult, rel: (f: string) => string): void {
  for (const run of s.runs) {
    const m = run.metrics;
    out.write(`${rel(s.suiteFile)} · ${run.model}: ${run.status} ${run.passed ? 'PASS' : 'FAIL'}  pass_rate=${fmt(m.pass_rate)} cases=${fmt(m.case_count)} errors=${fmt(m.error_count)} p50=${fmt(m['latency_ms/p50'])}ms cost=$${fmt(m['cost_usd/total'])} run=${run.runId}\n`);
    if (run.error) out.write(`  error: ${run.error}\n`);
    for (const t of run.thresholds) {
      out.write(`  ${t.pass ? '✓' : '✗'} ${t.metric} = ${fmt(t.value)} (needs ${t.op === 'min' ? '≥' : '≤'} ${t.limit})\n`);
    }
    const failing = run.failing.sample;
    for (const r of failing) {
      const why = r.error ? `${r.error.kind}: ${r.error.message}` : r.scores.filter((x) => !x.pass && !x.metricOnly).map((x) => `${x.name}: ${x.reason}`).join('; ');
      out.write(`  case ${r.caseId}${r.repeat ? ` #${r.repeat + 1}` : ''}: ${why.slice(0, 300)}\n`);
    }
    const more = run.failing.count - failing.length;
    if (more > 0) out.write(`  … ${more} more failing cases (see eval_results_table.json in the run)\n`);
  }
}
