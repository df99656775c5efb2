// Commands on prompt files: history, compare with a version, open at a version, copy version id.
import path from 'node:path';
import * as vscode from 'vscode';
import { fileHistory, type PromptVersionEntry } from '../../core/versions/history';
import type { CommandHandlers, Services } from '../services';
import type { PromptInfo } from './labelService';
import type { PromptTreeNode } from './promptsTree';
import { versionTitle, versionUri } from './versionDocuments';
import { compareWithProductionCommand, runEvalOnVersionCommand } from '../eval/reproduceCommands';

export function promptCommands(services: Services): CommandHandlers {
  const { labels } = services;

  /** Commands get a Uri (explorer, CodeLens), a tree node (Prompts view) or nothing (palette). */
  async function target(arg: unknown): Promise<{ info: PromptInfo; entry?: PromptVersionEntry }> {
    if (arg && typeof arg === 'object' && 'kind' in arg) {
      const node = arg as PromptTreeNode;
      if (node.kind === 'version') return { info: node.info, entry: node.entry };
      if (node.kind === 'file') return { info: node.info };
    }
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) throw new Error('Open a prompt file first.');
    const info = await labels.ensure(uri);
    if (!info) throw new Error(`${path.basename(uri.fsPath)} is not a prompt file (see the promptLedger.promptGlobs setting).`);
    return { info };
  }

  async function history(info: PromptInfo): Promise<PromptVersionEntry[]> {
    if (!info.repoRoot || !info.repoRelPath) throw new Error(`${info.relPath} is not in a git repository, so it has no versions yet.`);
    const entries = await fileHistory(info.repoRoot, info.repoRelPath);
    if (entries.length === 0) throw new Error(`${info.relPath} has no committed versions yet (${info.label.text}).`);
    return entries;
  }

  async function pickVersion(info: PromptInfo, placeHolder: string): Promise<PromptVersionEntry | undefined> {
    return (await pickVersionOrAction(info, placeHolder, false))?.entry;
  }

  /** The history QuickPick; with `actions`, each version has a Run Eval on This Version button. */
  async function pickVersionOrAction(info: PromptInfo, placeHolder: string, actions = true): Promise<{ entry: PromptVersionEntry; runEval: boolean } | undefined> {
    const entries = await history(info);
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { entry: PromptVersionEntry }>();
    qp.placeholder = placeHolder;
    qp.matchOnDescription = qp.matchOnDetail = true;
    qp.items = entries.map((e) => ({
      label: `v${e.version} · ${e.shortCommit}`,
      description: e.subject,
      detail: `${e.author} · ${new Date(e.date).toLocaleString()}${e.pathAtCommit !== info.repoRelPath ? ` · as ${e.pathAtCommit}` : ''}`,
      buttons: actions ? [{ iconPath: new vscode.ThemeIcon('beaker'), tooltip: RUN_EVAL_ON_VERSION }] : [],
      entry: e,
    }));
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: { entry: PromptVersionEntry; runEval: boolean } | undefined) => { if (!done) { done = true; resolve(v); qp.hide(); } };
      qp.onDidAccept(() => finish(qp.selectedItems[0] && { entry: qp.selectedItems[0].entry, runEval: false }));
      qp.onDidTriggerItemButton((e) => finish({ entry: e.item.entry, runEval: true }));
      qp.onDidHide(() => { finish(undefined); qp.dispose(); });
      qp.show();
    });
  }

  function uriAt(info: PromptInfo, entry: PromptVersionEntry): vscode.Uri {
    return versionUri({ repo: info.repoRoot!, commit: entry.commit, path: entry.pathAtCommit, version: entry.version });
  }

  async function compare(info: PromptInfo, entry: PromptVersionEntry): Promise<void> {
    const title = `${versionTitle({ path: entry.pathAtCommit, version: entry.version, commit: entry.commit })} ↔ working copy`;
    await vscode.commands.executeCommand('vscode.diff', uriAt(info, entry), info.uri, title);
  }

  async function openAt(info: PromptInfo, entry: PromptVersionEntry): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uriAt(info, entry));
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  return {
    'promptLedger.showHistory': async (arg?: unknown) => {
      const { info } = await target(arg);
      const picked = await pickVersionOrAction(info, `${info.relPath} — ${info.label.text}: pick a version to compare with the working copy (or its beaker: Run Eval on This Version)`);
      if (picked?.runEval) return runEvalOnVersionCommand(services, info.uri.fsPath, picked.entry.commit);
      if (picked) await compare(info, picked.entry);
    },
    'promptLedger.compareWithVersion': async (arg?: unknown) => {
      const { info, entry } = await target(arg);
      const chosen = entry ?? await pickVersion(info, `Compare ${info.relPath} with…`);
      if (chosen) await compare(info, chosen);
    },
    'promptLedger.openAtVersion': async (arg?: unknown) => {
      const { info, entry } = await target(arg);
      const chosen = entry ?? await pickVersion(info, `Open ${info.relPath} at version…`);
      if (chosen) await openAt(info, chosen);
    },
    'promptLedger.copyVersionId': async (arg?: unknown) => {
      const { info, entry } = await target(arg);
      const id = versionId(info, entry);
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
      return id;
    },
    'promptLedger.refreshPrompts': () => labels.refreshAll(),
    'promptLedger.runEvalOnVersion': async (arg?: unknown) => {
      const { info, entry } = await target(arg);
      const chosen = entry ?? await pickVersion(info, `Run the eval on ${info.relPath} at version…`);
      return chosen ? runEvalOnVersionCommand(services, info.uri.fsPath, chosen.commit) : undefined;
    },
    'promptLedger.compareWithProduction': async (arg?: unknown) => {
      const { info } = await target(arg);
      return compareWithProductionCommand(services, info.uri.fsPath);
    },
  };
}

export const RUN_EVAL_ON_VERSION = 'Run Eval on This Version';

/** `prompts/summarize.prompty@v3` (a committed version) or `…@v3+edited:<content hash>` for unsaved/uncommitted text. */
export function versionId(info: PromptInfo, entry?: PromptVersionEntry): string {
  if (entry) return `${info.relPath}@v${entry.version}`;
  const l = info.label;
  if (!l.version) return `${info.relPath}@sha256:${info.contentHash.slice(0, 12)}`;
  return l.edited ? `${info.relPath}@v${l.version}+edited:${info.contentHash.slice(0, 12)}` : `${info.relPath}@v${l.version}`;
}
