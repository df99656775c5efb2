// Runs inside the real VS Code extension host, opened on an EMPTY folder so nothing activated the
// extension yet: times activate(), then the on-save label update on a prompt in a new git repo.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const out: Record<string, number> = {};
  const ext = vscode.extensions.getExtension('prompt-ledger.prompt-ledger')!;
  if (ext.isActive) throw new Error('extension already active: open an empty folder for this bench');
  const t0 = performance.now();
  const services = await ext.activate();
  out.activationMs = performance.now() - t0;

  const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
  // No GIT_DIR & co. from a caller (a git hook, `git bisect run`): `git init` would then re-init the caller's repository.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX'].includes(k)));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, env: { ...env, GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@b' } });
  git('init', '-q');
  fs.mkdirSync(path.join(ws, 'prompts'), { recursive: true });
  for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(ws, 'prompts', `p${i}.md`), `---\nname: p${i}\n---\nHello {{ name }} ${i}\n`);
  git('add', '-A');
  git('commit', '-qm', 'prompts');
  await services.labels.refreshAll();
  const uri = vscode.Uri.file(path.join(ws, 'prompts', 'p0.md'));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), `more ${i}\n`));
    const labelled = new Promise<void>((resolve) => {
      const sub = services.labels.onDidChange((changed: vscode.Uri | undefined) => { if (!changed) { sub.dispose(); resolve(); } });
    });
    const s0 = performance.now();
    await editor.document.save();
    await labelled;
    // The refresh is debounced by 150 ms after save; that wait is part of what the user sees.
    samples.push(performance.now() - s0);
  }
  samples.sort((a, b) => a - b);
  out.onSaveUpdateMs = samples[Math.floor(samples.length / 2)];
  fs.writeFileSync(process.env.PL_EXTHOST_RESULT!, JSON.stringify({ bench: out, results: [] }));
}
