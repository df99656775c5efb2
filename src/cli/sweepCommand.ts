// `prompt-ledger sweep <suite>`: runs the suite's `sweep:` (grid, random or tpe), one parent run
// with a child per trial, prints a line per trial and the leading trials, and ends with the best
// configuration as YAML, ready to paste over the suite's `models:` (stdout; the rest on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSuite } from '../core/eval/suiteLoader';
import { MAX_CONCURRENCY } from '../core/eval/suiteSchema';
import { EvalSuiteError, formatDiagnostic } from '../core/eval/diagnostics';
import { DatasetValidationError } from '../core/eval/validation/validateSuite';
import { UntrustedWorkspaceError } from '../core/eval/scorers/types';
import { formatEstimate } from '../core/eval/costEstimate';
import { openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { runSweep, type SweepResult } from '../core/eval/sweep/sweepRunner';
import { planSweep } from '../core/eval/sweep/sweepPlan';
import type { SweepReport, SweepTrial } from '../core/eval/sweep/sweepReport';
import { compareScores } from '../core/eval/sweep/objective';
import { scoreOf } from '../core/eval/sweep/sweepReport';
import { SWEEP_METHODS, type SweepMethod } from '../core/eval/sweep/sweepSchema';
import { EXIT, type CliIo } from './evalCommand';

export const SWEEP_USAGE = `Usage: prompt-ledger sweep <suite.eval.yaml> [options]

Runs the suite's \`sweep:\` section: one parent run, a child eval run per trial, the best tagged.
Prints the best configuration as YAML (stdout), ready to paste into the suite.

Options:
  --method <grid|random|tpe>  override the suite's search method
  --trials <n>                trials to run (random/tpe budget; grid: at most n combinations)
  --seed <n>                  seed of the random draws (same seed, same trials)
  --parallel <n>              trials in flight at once (they share --concurrency)
  --concurrency <n>           model calls at once across all trials, at most ${MAX_CONCURRENCY}
  --tracking-uri <uri>        MLflow server (http://…) or embedded store folder
  --no-cache                  do not read or write the response cache
  --dry-run                   print the trials and the estimated calls and cost; send nothing
  --output <yaml|json>        yaml (default): the best model entry; json: the whole sweep report
  --output-file <file>        write that output to a file instead of stdout
  -h, --help                  show this help

Exit codes: 0 a trial met every constraint, 1 none did (or every trial failed), 2 bad input,
130 cancelled.
`;

class UsageError extends Error {}

function intOption(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got '${v}'`);
  return n;
}

export async function sweepCommand(argv: string[], io: CliIo): Promise<number> {
  let values: Record<string, unknown>;
  let file: string;
  let opts: { method?: SweepMethod; trials?: number; seed?: number; parallel?: number; concurrency?: number; output: 'yaml' | 'json' };
  try {
    const parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        method: { type: 'string' }, trials: { type: 'string' }, seed: { type: 'string' }, parallel: { type: 'string' },
        concurrency: { type: 'string' }, 'tracking-uri': { type: 'string' }, 'no-cache': { type: 'boolean' },
        'dry-run': { type: 'boolean' }, output: { type: 'string' }, 'output-file': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    if (values.help) {
      io.stdout.write(SWEEP_USAGE);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 1) throw new UsageError('name one suite file');
    file = parsed.positionals[0];
    const method = values.method as string | undefined;
    if (method !== undefined && !(SWEEP_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${SWEEP_METHODS.join(', ')}, got '${method}'`);
    const output = (values.output as string | undefined) ?? 'yaml';
    if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, got '${output}'`);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got '${values.seed}'`);
    opts = {
      method: method as SweepMethod | undefined, seed, output,
      trials: intOption('trials', values.trials, 1, 10_000), parallel: intOption('parallel', values.parallel, 1, 64),
      concurrency: intOption('concurrency', values.concurrency, 1, MAX_CONCURRENCY),
    };
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`prompt-ledger sweep: ${(err as Error).message}\n\n${SWEEP_USAGE}`);
      return EXIT.badInput;
    }
    throw err;
  }

  const rel = (f: string) => path.relative(io.cwd, f) || f;
  let store: TrackingStore | undefined;
  try {
    const suite = loadSuite(path.resolve(io.cwd, file));
    for (const w of suite.warnings) io.stderr.write(`${formatDiagnostic(w, rel)}\n`);
    store = await openTrackingStore(resolveTrackingUri({ setting: values['tracking-uri'] as string | undefined, env: io.env, workspaceRoot: io.cwd }), { env: io.env });
    const dryRun = !!values['dry-run'];
    const overrides = { method: opts.method, trials: opts.trials, seed: opts.seed, parallel: opts.parallel };
    const plan = planSweep(suite, overrides);
    io.stderr.write(`${rel(suite.filePath)}: sweep ${plan.method}, ${plan.proposer.planned} trials over ${plan.dims.map((d) => d.name).join(', ')}; ${plan.objective.direction} ${plan.objective.metric}${plan.constraints.length ? ` subject to ${plan.constraints.map((c) => c.text).join(', ')}` : ''}\n`);
    const result = await runSweep(suite, {
      store, workspaceRoot: io.cwd, trusted: true, concurrency: opts.concurrency, noCache: !!values['no-cache'],
      cacheDir: path.join(io.cwd, '.promptledger', 'cache'), signal: io.signal, dryRun,
      providerCtx: { env: io.env },
      sweep: overrides,
      onProgress: (p) => {
        if (p.finished) io.stderr.write(`${trialLine(p.finished, p.trialsPlanned)}${p.best?.number === p.finished.number ? '  ← best so far' : ''}\n`);
      },
    });
    if (result.dryRun) {
      io.stderr.write(`  estimate for all trials: ${formatEstimate(result.estimate)}\n`);
      return EXIT.ok;
    }
    return finish(result, io, opts.output, values['output-file'] as string | undefined);
  } catch (err) {
    if (err instanceof EvalSuiteError) {
      for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d, rel)}\n`);
      if (err instanceof DatasetValidationError) io.stderr.write('prompt-ledger sweep: nothing was sent; fix the errors above\n');
      return EXIT.badInput;
    }
    if (err instanceof UntrustedWorkspaceError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT.badInput;
    }
    throw err;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

function finish(result: SweepResult, io: CliIo, output: 'yaml' | 'json', outputFile: string | undefined): number {
  const { report } = result;
  io.stderr.write(`\n${leaderboard(report)}\n`);
  io.stderr.write(`sweep run ${result.parentRunId} ${result.status}; ${report.trials.length} trials\n`);
  const best = report.trials.find((t) => t.number === report.best);
  const text = output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : report.bestYaml ?? '# no trial produced the objective metric\n';
  if (outputFile) fs.writeFileSync(path.resolve(io.cwd, outputFile), text);
  else io.stdout.write(text);
  if (result.cancelled) return EXIT.cancelled;
  return best?.feasible ? EXIT.ok : EXIT.thresholds;
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(4)).toString();
}

function trialLine(t: SweepTrial, planned: number): string {
  const params = Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const why = t.error ? `  (${t.status}: ${t.error.split('\n')[0].slice(0, 120)})` : t.violated.length ? `  (misses ${t.violated.join(', ')})` : '';
  return `trial ${t.number}/${planned}  ${params}  → ${fmt(t.value)}${why}`;
}

/** The leading trials, best first, with the objective and the front's cost metric. */
function leaderboard(report: SweepReport, top = 10): string {
  const ranked = [...report.trials].sort((a, b) => compareScores(scoreOf(a), scoreOf(b), report.objective.direction) || a.number - b.number).slice(0, top);
  const names = report.parameters.map((p) => p.name);
  const head = ['#', ...names, report.objective.metric, report.costMetric, 'ok'];
  const rows = ranked.map((t) => [String(t.number), ...names.map((n) => String(t.params[n])), fmt(t.value), fmt(t.metrics[report.costMetric]), t.feasible ? 'yes' : 'no']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
