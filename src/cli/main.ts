// prompt-ledger CLI: the same core as the extension, for terminals and CI.
import { version } from '../../package.json';
import { evalCommand, EVAL_USAGE, EXIT, type CliIo } from './evalCommand';
import { syncCommand, SYNC_USAGE } from './syncCommand';
import { runsCommand, RUNS_USAGE } from './runsCommand';
import { promptCommand, PROMPT_USAGE } from './promptCommand';
import { validateCommand, VALIDATE_USAGE } from './validateCommand';
import { compareCommand, COMPARE_USAGE } from './compareCommand';
import { reproduceCommand, REPRODUCE_USAGE } from './reproduceCommand';
import { sweepCommand, SWEEP_USAGE } from './sweepCommand';
import { monitorCommand, MONITOR_USAGE } from './monitorCommand';
import { blameCommand, BLAME_USAGE } from './blameCommand';

const USAGE = `Usage: prompt-ledger <command> [options]

Commands:
  eval <suite.eval.yaml…>   run eval suites and log the runs (see \`prompt-ledger eval --help\`)
  validate <suite…>         check suites and datasets before spending (no model calls)
  runs [<suite.eval.yaml>]  list the latest runs; interrupted ones with their recorded cases
  compare <run> <run>       the second run against the first, with significance (table, json, markdown)
  sync --to <server>        push the workspace store to an MLflow server (see \`prompt-ledger sync --help\`)
  prompt register|pull|list the prompt registry in MLflow's own forms; approve|reject|requests|promote
                            for governed aliases (see \`prompt-ledger prompt --help\`)
  reproduce <run-id>        run a recorded eval run again from its commit, dataset snapshot and params
  sweep <suite.eval.yaml>   search the suite's \`sweep:\` parameters; prints the best config as YAML
  monitor <name>[@alias]    production traces MLflow links to a prompt version: summary and latest
  blame <prompt-file>       each line's commit and the pass-rate change it caused on the suite

Options:
  -h, --help                show this help
  -v, --version             print the version
`;

export async function main(argv: string[], signal?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(topic === 'eval' ? EVAL_USAGE : topic === 'sync' ? SYNC_USAGE : topic === 'runs' ? RUNS_USAGE : topic === 'prompt' ? PROMPT_USAGE : topic === 'validate' ? VALIDATE_USAGE : topic === 'compare' ? COMPARE_USAGE : topic === 'reproduce' ? REPRODUCE_USAGE : topic === 'sweep' ? SWEEP_USAGE : topic === 'monitor' ? MONITOR_USAGE : topic === 'blame' ? BLAME_USAGE : USAGE);
    return EXIT.ok;
  }
  const io: CliIo = {
    stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env,
    isTty: !!process.stderr.isTTY && !process.env.CI, signal,
  };
  if (command === 'eval') return evalCommand(rest, io);
  if (command === 'sync') return syncCommand(rest, io);
  if (command === 'runs') return runsCommand(rest, io);
  if (command === 'prompt') return promptCommand(rest, io);
  if (command === 'validate') return validateCommand(rest, io);
  if (command === 'compare') return compareCommand(rest, io);
  if (command === 'reproduce') return reproduceCommand(rest, io);
  if (command === 'sweep') return sweepCommand(rest, io);
  if (command === 'monitor') return monitorCommand(rest, io);
  if (command === 'blame') return blameCommand(rest, io);
  process.stderr.write(`prompt-ledger: unknown command '${command}'\n\n${USAGE}`);
  return EXIT.badInput;
}

if (require.main === module) {
  // Ctrl-C cancels the run (in-flight requests abort, runs end KILLED); a second one exits now.
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.cancelled));
  });
  process.once('SIGTERM', () => controller.abort());
  main(process.argv.slice(2), controller.signal).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`prompt-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.badInput;
  });
}
