// Parsing the eval command's options that need more than node:util's parseArgs: --resume's
// optional run id, --retry-errors, --shard/--group, and positive whole numbers.
import type { ResumeRequest } from '../core/eval/runner';
import { checkGroupId, parseShard, type ShardSpec } from '../core/eval/shards';

/** Bad command-line usage: printed with the usage text, exit 2. */
export class UsageError extends Error {}

export function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1, got '${v}'`);
  return n;
}

const RUN_ID = /^[0-9a-f]{32}$/i;

/** `--resume <id>` takes an optional value: a following run id (32 hex digits) is moved to --resume-id. */
export function withResumeId(argv: string[]): string[] {
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

export function resumeRequest(values: Record<string, string | boolean | string[] | undefined>, suites: number): ResumeRequest | undefined {
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

export function checkGroupOption(group: string): string {
  try {
    return checkGroupId(group);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function shardOption(values: Record<string, string | boolean | string[] | undefined>): ShardSpec | undefined {
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

