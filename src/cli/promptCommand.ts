// `prompt-ledger prompt register|pull|list`: the prompt registry from a terminal or CI, in the
// forms MLflow's own client serves (chat or text, with model_config).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diffLines } from '../core/compare/lineDiff';
import { promptGitInfo } from '../core/eval/gitInfo';
import { currentAuthor } from '../core/registry/author';
import { planPull, registerInputFromFile } from '../core/registry/promptFileRegistration';
import { GovernanceSettingsError, readWorkspaceGovernance } from '../core/registry/governanceSettings';
import { resolveAccess, type Access } from '../core/registry/permissions';
import { listPrompts, listPromptVersions, moveAlias, registerPromptVersion } from '../core/registry/promptRegistry';
import { parsePromptRef } from '../core/registry/promptStore';
import { PromptConversionError } from '../core/registry/promptToMlflow';
import { PromptPullError } from '../core/registry/promptFromMlflow';
import { openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import { TrackingError, type TrackingStore } from '../core/tracking/types';
import { EXIT, type CliIo } from './evalCommand';
import { APPROVAL_EXITS, APPROVAL_USAGE, approvalCommand, CLI_SWITCH_USER_HINT } from './approvalCommands';

const APPROVAL_SUBCOMMANDS = ['promote', 'approve', 'reject', 'requests'];

export const PROMPT_USAGE = `Usage:
  prompt-ledger prompt register <file…> [--alias A --note N] [--message M] [--tracking-uri U]
  prompt-ledger prompt pull <name>[@alias|/version] [--out file|dir] [--force] [--tracking-uri U]
  prompt-ledger prompt list [--tracking-uri U]
${APPROVAL_USAGE}
register  registers each prompt file as MLflow stores prompts natively: a chat prompt (messages)
          for Prompty files and templates with role sections, a text prompt otherwise, with the
          model settings as model_config. A file whose exact text is registered is not registered
          twice. --alias moves an alias to the version (needs --note, for the audit trail).
pull      writes the version (default: latest) as a .prompty (chat) or .md template (text) file,
          by default into ./prompts/; an existing different file is shown as a diff and only
          replaced with --force.
list      prompts with their aliases and latest version.

The tracking URI follows MLflow's rules (--tracking-uri, MLFLOW_TRACKING_URI, else ./.promptledger).
Exit codes: 0 done, 1 refused (governance, permissions, existing file), 2 bad input (file:line:col
and the fix); ${APPROVAL_EXITS}
`;

export async function promptCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { 'tracking-uri'?: string; alias?: string; note?: string; message?: string; out?: string; force?: boolean; help?: boolean; to?: string; version?: string; evidence?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        'tracking-uri': { type: 'string' }, alias: { type: 'string' }, note: { type: 'string' }, message: { type: 'string', short: 'm' },
        out: { type: 'string', short: 'o' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        to: { type: 'string' }, version: { type: 'string' }, evidence: { type: 'string' },
      },
    }));
  } catch (e) {
    io.stderr.write(`prompt-ledger prompt: ${(e as Error).message}\n\n${PROMPT_USAGE}`);
    return EXIT.badInput;
  }
  if (sub === undefined || sub === '--help' || sub === '-h' || values.help) {
    io.stdout.write(PROMPT_USAGE);
    return EXIT.ok;
  }
  if (!['register', 'pull', 'list', ...APPROVAL_SUBCOMMANDS].includes(sub)) {
    io.stderr.write(`prompt-ledger prompt: unknown subcommand '${sub}'\n\n${PROMPT_USAGE}`);
    return EXIT.badInput;
  }
  if (sub === 'register' && positionals.length === 0) return usage(io, 'name at least one prompt file');
  if (sub === 'register' && values.alias && !values.note?.trim()) return usage(io, '--alias needs --note "why it moves" (it goes into the audit trail)');
  if (sub === 'pull' && positionals.length !== 1) return usage(io, 'name one prompt: <name>, <name>@<alias> or <name>/<version>');

  let store: TrackingStore;
  try {
    store = await openTrackingStore(resolveTrackingUri({ setting: values['tracking-uri'], env: io.env, workspaceRoot: io.cwd }), { env: io.env });
  } catch (e) {
    io.stderr.write(`prompt-ledger prompt: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  try {
    if (sub === 'register') return await register(store, positionals, values, io, await resolveAccess(store, await currentAuthor(io.cwd), CLI_SWITCH_USER_HINT));
    if (sub === 'pull') return await pull(store, positionals[0], values, io);
    if (APPROVAL_SUBCOMMANDS.includes(sub)) {
      const r = await approvalCommand(sub, store, positionals, values, io);
      return typeof r === 'string' ? usage(io, r) : r;
    }
    return await list(store, io);
  } catch (e) {
    if (e instanceof GovernanceSettingsError) {
      io.stderr.write(`prompt-ledger prompt: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof TrackingError && (e.code === 'PERMISSION_DENIED' || e.code === 'UNAUTHENTICATED')) {
      io.stderr.write(`refused: ${e.message}\n`);
      return EXIT.thresholds;
    }
    if (e instanceof TrackingError && e.code === 'RESOURCE_DOES_NOT_EXIST') {
      io.stderr.write(`prompt-ledger prompt: ${e.message} (see \`prompt-ledger prompt list\`)\n`);
      return EXIT.badInput;
    }
    if (e instanceof PromptPullError) {
      io.stderr.write(`prompt-ledger prompt: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  } finally {
    await store.close().catch(() => undefined);
  }
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`prompt-ledger prompt: ${message}\n\n${PROMPT_USAGE}`);
  return EXIT.badInput;
}

async function register(store: TrackingStore, files: string[], values: { alias?: string; note?: string; message?: string }, io: CliIo, access: Access): Promise<number> {
  const governance = readWorkspaceGovernance(io.cwd);
  const abs = files.map((f) => path.resolve(io.cwd, f));
  const missing = abs.find((f) => !fs.existsSync(f));
  if (missing) return usage(io, `${path.relative(io.cwd, missing)}: no such file`);
  const git = await promptGitInfo(abs);
  let status: number = EXIT.ok;
  for (const file of abs) {
    const rel = path.relative(git.get(file)?.repoRoot ?? io.cwd, file).split(path.sep).join('/');
    const shown = path.relative(io.cwd, file);
    const input = registerInputFromFile(fs.readFileSync(file, 'utf8'), rel, git.get(file));
    try {
      const r = await registerPromptVersion(store, { ...input, commitMessage: values.message }, { access });
      const what = r.form.type === 'chat' ? `chat, ${r.form.messages.length} messages` : 'text';
      const config = r.form.modelConfig ? `, model_config: ${Object.keys(r.form.modelConfig).join(', ')}` : '';
      io.stdout.write(r.reused
        ? `${input.name}: this exact prompt is already version ${r.version}; nothing new registered\n`
        : `${input.name}: registered version ${r.version} (${what}${config}) in ${store.location}\n`);
      for (const n of r.notCarried) io.stdout.write(`  not carried into MLflow's fields: ${n}\n`);
      if (values.alias) {
        const moved = await moveAlias(store, { name: input.name, alias: values.alias, version: r.version, note: values.note ?? '', author: access.actor, governance, access });
        if (moved.ok) io.stdout.write(`  @${values.alias} → version ${r.version}\n`);
        else { io.stderr.write(`${shown}: ${moved.reason}\n`); status = EXIT.thresholds; }
      }
    } catch (e) {
      if (e instanceof PromptConversionError) {
        io.stderr.write(`${shown}:${e.line + 1}:${e.column + 1}: ${e.reason}\n`);
        status = EXIT.badInput;
      } else if (e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE') {
        io.stderr.write(`${shown}: ${e.message}\n`);
        status = EXIT.badInput;
      } else throw e;
    }
  }
  return status;
}

async function pull(store: TrackingStore, refText: string, values: { out?: string; force?: boolean }, io: CliIo): Promise<number> {
  const ref = parsePromptRef(refText);
  const plan = await planPull(store, ref.name, ref, { root: io.cwd, out: values.out });
  const shown = path.relative(io.cwd, plan.target);
  const from = `${ref.name} v${plan.version.version}${ref.alias ? ` (@${ref.alias})` : ''}`;
  if (plan.change === 'same') {
    io.stdout.write(`${shown} already is ${from}; nothing to write\n`);
    return EXIT.ok;
  }
  if (plan.change === 'update' && !values.force) {
    io.stdout.write(unifiedDiff(plan.currentText ?? '', plan.text, shown, from));
    io.stderr.write(`${shown} exists and differs from ${from} (diff above); run again with --force to replace it.\n`);
    return EXIT.thresholds;
  }
  fs.mkdirSync(path.dirname(plan.target), { recursive: true });
  fs.writeFileSync(plan.target, plan.text);
  io.stdout.write(`${plan.change === 'create' ? 'wrote' : 'updated'} ${shown} from ${from} (${plan.version.form.type}${plan.original ? ', the registered file' : ''})\n`);
  return EXIT.ok;
}

async function list(store: TrackingStore, io: CliIo): Promise<number> {
  const prompts = await listPrompts(store);
  if (prompts.length === 0) {
    io.stdout.write(`No prompts registered in ${store.location}.\n`);
    return EXIT.ok;
  }
  for (const p of prompts) {
    const latest = (await listPromptVersions(store, p.name, { runs: [] }))[0];
    const aliases = p.aliases.map((a) => `@${a.alias}=v${a.version}`).join(' ');
    io.stdout.write(`${p.name}\tv${latest?.version ?? '?'} (${latest?.form.type ?? '?'})${aliases ? `\t${aliases}` : ''}\n`);
  }
  return EXIT.ok;
}

function unifiedDiff(oldText: string, newText: string, file: string, from: string): string {
  const lines = diffLines(oldText, newText).map((d) => `${d.op === 'insert' ? '+' : d.op === 'delete' ? '-' : ' '}${d.text}`);
  return [`--- ${file}`, `+++ ${from}`, ...lines, ''].join('\n');
}
