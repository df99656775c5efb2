// `prompt-ledger validate <suite…>`: validate before spending. Checks each suite, its dataset and
// its prompts without calling a model and prints every problem as `file:line:col: severity: …`.
// Exit 2 when there is an error, 1 with --strict when there are only warnings, else 0.
import path from 'node:path';
import { formatDiagnostic } from '../core/eval/diagnostics';
import { validateSuiteFile } from '../core/eval/validation/validateSuite';
import { reportSummary, type ValidationReport } from '../core/eval/validation/problems';
import { EXIT, type CliIo } from './evalCommand';
import { parseCommandArgs } from './commandArgs';

export const VALIDATE_USAGE = `Usage: prompt-ledger validate <suite.eval.yaml…> [options]

Checks suites and their datasets before any model is called: variables the template needs but a
row lacks, columns nothing uses, empty values, duplicate cases and ids, values that do not match
the prompt's declared input types, rows whose rendered prompt is far longer than the rest or than
the model's context, and rows without \`expected\` where a scorer needs one.

Options:
  --strict                 warnings fail too (exit 1)
  --output json            the problems as JSON on stdout
  -h, --help               show this help

Exit codes: 0 no errors, 1 warnings with --strict, 2 errors.
`;

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'validate', usage: VALIDATE_USAGE,
    options: { strict: { type: 'boolean' }, output: { type: 'string' } },
    check: ({ values, positionals }) => {
      if (positionals.length === 0) throw new Error('name at least one suite file (*.eval.yaml)');
      if (values.output !== undefined && values.output !== 'json') throw new Error(`--output must be json, got '${values.output}'`);
    },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const rel = (f: string) => path.relative(io.cwd, f) || f;
  const reports: ValidationReport[] = positionals.map((f) => validateSuiteFile(path.resolve(io.cwd, f)));
  if (values.output === 'json') {
    io.stdout.write(`${JSON.stringify(reports.map((r) => ({ ...r, suiteFile: rel(r.suiteFile), datasetPath: r.datasetPath && rel(r.datasetPath), promptPaths: r.promptPaths?.map(rel), problems: r.problems.map((p) => ({ ...p, file: rel(p.file) })) })), null, 2)}\n`);
  } else {
    for (const r of reports) {
      for (const p of r.problems) io.stdout.write(`${formatDiagnostic(p, rel)}\n`);
      io.stdout.write(`${rel(r.suiteFile)}: ${reportSummary(r)}${r.problems.length ? ` (${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'})` : ''}\n`);
    }
  }
  if (reports.some((r) => r.errors > 0)) return EXIT.badInput;
  if (values.strict && reports.some((r) => r.warnings > 0)) return EXIT.thresholds;
  return EXIT.ok;
}
