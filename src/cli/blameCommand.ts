// `prompt-ledger blame <prompt-file>`: each line of a prompt with the commit that introduced it
// and the pass-rate change that commit caused on the prompt's suite (core/blame/promptBlame.ts),
// then the versions that have no run yet and the command that evaluates each.
import fs from 'node:fs';
import path from 'node:path';
import { promptBlame, type PromptBlame } from '../core/blame/promptBlame';
import { blameCliRow } from '../core/blame/blameText';
import { relTo } from '../core/eval/runContext';
import { EXIT, type CliIo } from './cliIo';
import { openCommandStore, parseCommandArgs } from './commandArgs';

export const BLAME_USAGE = `Usage: prompt-ledger blame <prompt-file> [options]

For each line of the prompt: the commit that introduced it (git blame) and the pass-rate change
that commit caused on the prompt's suite — the eval run of the file's text at that commit
against the run of its text at the commit before. Runs are matched by content hash, so a run of
\`prompt-ledger eval <suite> --at <commit>\` counts. Versions without a run are listed last.

Options:
  --suite <suite.eval.yaml>  compare runs of this suite (default: the suite with most runs of the prompt)
  --json                     print {file, suite, model, lines: [{line, commit, …, delta}], missing}
  --tracking-uri <uri>       the store (default: MLFLOW_TRACKING_URI, else the workspace's own)
  -h, --help                 show this help
`;

function jsonOf(b: PromptBlame): unknown {
  return {
    file: b.relPath, suite: b.suite ?? null, model: b.model ?? null,
    lines: b.lines.map((l) => ({
      line: l.line, text: l.text, status: l.status,
      commit: l.commit?.commit ?? null, author: l.commit?.author ?? null, date: l.commit?.date ?? null, subject: l.commit?.subject ?? null,
      passRate: l.after?.run?.passRate ?? null, runId: l.after?.run?.runId ?? null,
      passRateBefore: l.before?.run?.passRate ?? null, runIdBefore: l.before?.run?.runId ?? null, commitBefore: l.before?.commit ?? null,
      delta: l.delta ?? null,
    })),
    missing: b.missing,
  };
}

export async function blameCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'blame', usage: BLAME_USAGE,
    options: { suite: { type: 'string' }, json: { type: 'boolean' }, 'tracking-uri': { type: 'string' } },
    check: ({ positionals }) => {
      if (positionals.length !== 1) throw new Error(`name one prompt file, e.g. prompts/summarize.prompty (got ${positionals.length})`);
    },
  });
  if (typeof args === 'number') return args;
  const file = path.resolve(io.cwd, args.positionals[0]);
  if (!fs.existsSync(file)) {
    io.stderr.write(`prompt-ledger blame: ${args.positionals[0]}: no such file (paths are relative to ${io.cwd})\n`);
    return EXIT.badInput;
  }
  const suiteArg = args.values.suite as string | undefined;
  const store = await openCommandStore(io, 'blame', args.values['tracking-uri']);
  if (typeof store === 'number') return store;
  try {
    const b = await promptBlame(store, { file, relPath: relTo(io.cwd, file), suite: suiteArg && relTo(io.cwd, path.resolve(io.cwd, suiteArg)) });
    if (args.values.json) {
      io.stdout.write(JSON.stringify(jsonOf(b), null, 2) + '\n');
      return EXIT.ok;
    }
    io.stdout.write(`${b.relPath} · ${b.suite ? `suite ${b.suite}${b.model ? ` · ${b.model}` : ''}` : 'no eval runs of this prompt yet'}\n`);
    const width = String(b.lines.length).length;
    for (const l of b.lines) io.stdout.write(blameCliRow(l, width) + '\n');
    if (b.missing.length) {
      const suite = b.suite ?? '<suite.eval.yaml>';
      io.stdout.write(`\n${b.missing.length} version${b.missing.length === 1 ? '' : 's'} without a run; evaluate with:\n`);
      for (const m of b.missing) io.stdout.write(`  prompt-ledger eval ${suite} --at ${m.shortCommit}${m.subject ? `   # ${m.subject}` : ''}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`prompt-ledger blame: ${(err as Error).message}\n`);
    return EXIT.badInput;
  } finally {
    await store.close().catch(() => undefined);
  }
}
