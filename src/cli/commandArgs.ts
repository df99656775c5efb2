// The part every CLI command shares: parse the arguments (node:util's parseArgs), answer --help,
// turn a bad argument into its usage text and exit 2, and open the tracking store by MLflow's URI
// rules with one error form.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { EXIT, type CliIo } from './cliIo';

export type ArgValues = Record<string, string | boolean | string[] | undefined>;
export interface ParsedArgs { values: ArgValues; positionals: string[] }

export interface CommandSpec {
  /** e.g. 'compare' (messages read `prompt-ledger compare: …`). */
  command: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Throws an Error whose message says what is wrong with a combination of arguments. */
  check?(args: ParsedArgs): void;
}

/** The parsed arguments, or the exit code when help was printed (0) or the arguments are bad (2). */
export function parseCommandArgs(argv: string[], io: CliIo, spec: CommandSpec): ParsedArgs | number {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...spec.options, help: { type: 'boolean', short: 'h' } } });
    const args = { values: values as ArgValues, positionals };
    if (args.values.help) {
      io.stdout.write(spec.usage);
      return EXIT.ok;
    }
    spec.check?.(args);
    return args;
  } catch (err) {
    io.stderr.write(`prompt-ledger ${spec.command}: ${(err as Error).message}\n\n${spec.usage}`);
    return EXIT.badInput;
  }
}

/** The store named by --tracking-uri / MLFLOW_TRACKING_URI / the workspace default, or exit 2 with why. */
export async function openCommandStore(io: CliIo, command: string, trackingUri: unknown): Promise<TrackingStore | number> {
  try {
    return await openTrackingStore(resolveTrackingUri({ setting: typeof trackingUri === 'string' ? trackingUri : undefined, env: io.env, workspaceRoot: io.cwd }), { env: io.env });
  } catch (err) {
    io.stderr.write(`prompt-ledger ${command}: tracking store: ${(err as Error).message}\n`);
    return EXIT.badInput;
  }
}
