// Keeps a version label for every prompt file in the workspace: one git pass per repository
// (labelFiles), refreshed on save, checkout, commit and branch switch; unsaved edits are
// re-labelled in process (refreshLabelForText) with no git spawn.
import path from 'node:path';
import * as vscode from 'vscode';
import { normalizedContentHash } from '../../core/prompts/contentHash';
import { parsePromptFile } from '../../core/prompts/promptFile';
import { isPromptPath } from '../../core/prompts/promptGlobs';
import type { ParsedPrompt } from '../../core/prompts/promptTypes';
import { emptyLabel, refreshLabelForText, type VersionLabel } from '../../core/versions/versionLabel';
import { findRepoRoot, labelFiles } from '../../core/versions/versionLabels';
import { readConfig } from '../config';

export interface PromptInfo {
  uri: vscode.Uri;
  /** Path relative to the workspace folder, '/'-separated. */
  relPath: string;
  repoRoot?: string;
  /** Path relative to the repository root, '/'-separated (git's view). */
  repoRelPath?: string;
  label: VersionLabel;
  /** Normalized content hash of the current text: what eval runs record. */
  contentHash: string;
  parsed: ParsedPrompt;
}

export class LabelService implements vscode.Disposable {
  private readonly infos = new Map<string, PromptInfo>();
  /** Labels as git last reported them (before in-editor edits). */
  private readonly gitLabels = new Map<string, VersionLabel>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private refreshing: Promise<void> | undefined;
  private refreshQueued = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly repoWatchers = new Map<string, vscode.Disposable>();

  constructor(private readonly output: vscode.OutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((doc) => { if (this.isPrompt(doc.uri)) this.scheduleRefresh(); }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onEdit(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('promptLedger.promptGlobs')) this.scheduleRefresh(); }),
      vscode.workspace.onDidCreateFiles(() => this.scheduleRefresh()),
      vscode.workspace.onDidDeleteFiles(() => this.scheduleRefresh()),
      vscode.workspace.onDidRenameFiles(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRefresh()),
    );
  }

  isPrompt(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file') return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return isPromptPath(rel, readConfig(uri).promptGlobs);
  }

  get(uri: vscode.Uri): PromptInfo | undefined {
    return this.infos.get(uri.toString());
  }

  all(): PromptInfo[] {
    return [...this.infos.values()].sort((a, b) => a.relPath.localeCompare(b.relPath));
  }

  /** Label one file now (e.g. a prompt opened before the workspace pass finished). */
  async ensure(uri: vscode.Uri): Promise<PromptInfo | undefined> {
    if (!this.infos.has(uri.toString()) && this.isPrompt(uri)) await this.refreshAll();
    return this.get(uri);
  }

  scheduleRefresh(delayMs = 150): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshAll(), delayMs);
  }

  /** Finds every prompt file and labels them in one git pass per repository. */
  refreshAll(): Promise<void> {
    if (this.refreshing) {
      this.refreshQueued = true;
      return this.refreshing;
    }
    this.refreshing = this.doRefresh().catch((e) => {
      this.output.appendLine(`[labels] refresh failed: ${e instanceof Error ? e.stack : e}`);
    }).finally(() => {
      this.refreshing = undefined;
      if (this.refreshQueued) {
        this.refreshQueued = false;
        void this.refreshAll();
      }
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const started = Date.now();
    const files = await this.findPromptFiles();
    const byRepo = new Map<string | undefined, { uri: vscode.Uri; repoRel: string }[]>();
    const repoOfFolder = new Map<string, string | undefined>();
    for (const uri of files) {
      const folder = vscode.workspace.getWorkspaceFolder(uri)!;
      if (!repoOfFolder.has(folder.uri.fsPath)) repoOfFolder.set(folder.uri.fsPath, await findRepoRoot(folder.uri.fsPath));
      const repo = repoOfFolder.get(folder.uri.fsPath);
      const base = repo ?? folder.uri.fsPath;
      const list = byRepo.get(repo) ?? [];
      list.push({ uri, repoRel: path.relative(base, uri.fsPath).split(path.sep).join('/') });
      byRepo.set(repo, list);
    }
    const next = new Map<string, PromptInfo>();
    for (const [repo, entries] of byRepo) {
      const labels = repo ? await labelFiles(repo, entries.map((e) => e.repoRel)) : undefined;
      if (repo) this.watchRepo(repo);
      for (const { uri, repoRel } of entries) {
        const gitLabel = labels?.get(repoRel) ?? emptyLabel('not-repo');
        this.gitLabels.set(uri.toString(), gitLabel);
        const info = await this.buildInfo(uri, gitLabel, repo, repoRel);
        if (info) next.set(uri.toString(), info);
      }
    }
    this.infos.clear();
    for (const [k, v] of next) this.infos.set(k, v);
    this.output.appendLine(`[labels] ${next.size} prompt file(s) labelled in ${Date.now() - started} ms`);
    this.changed.fire(undefined);
  }

  private async findPromptFiles(): Promise<vscode.Uri[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = new Map<string, vscode.Uri>();
    for (const folder of folders) {
      for (const glob of readConfig(folder.uri).promptGlobs) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), '**/{node_modules,.git,.promptledger}/**', 5000);
        for (const uri of uris) if (this.isPrompt(uri)) found.set(uri.toString(), uri);
      }
    }
    return [...found.values()];
  }

  private async buildInfo(uri: vscode.Uri, gitLabel: VersionLabel, repoRoot: string | undefined, repoRelPath: string): Promise<PromptInfo | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined; // deleted between the scan and now
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const relPath = folder ? path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/') : uri.fsPath;
    // Unsaved editor text decides "edited"; git only knows the file on disk.
    const label = open && open.isDirty ? refreshLabelForText(gitLabel, text) : gitLabel;
    return {
      uri, relPath, repoRoot, repoRelPath: repoRoot ? repoRelPath : undefined,
      label: { ...label, contentHash: normalizedContentHash(text) },
      contentHash: normalizedContentHash(text),
      parsed: parsePromptFile(text, uri.fsPath),
    };
  }

  private onEdit(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const info = this.infos.get(key);
    const gitLabel = this.gitLabels.get(key);
    if (!info || !gitLabel) return;
    const text = doc.getText();
    const contentHash = normalizedContentHash(text);
    const label = { ...refreshLabelForText(gitLabel, text), contentHash };
    if (label.text === info.label.text && contentHash === info.contentHash) return;
    this.infos.set(key, { ...info, label, contentHash, parsed: parsePromptFile(text, doc.uri.fsPath) });
    this.changed.fire(doc.uri);
  }

  /** HEAD, the index and refs change on commit, checkout and branch switch. */
  private watchRepo(repoRoot: string): void {
    if (this.repoWatchers.has(repoRoot)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.join(repoRoot, '.git')), '{HEAD,index,refs/**,packed-refs}'));
    const onGitChange = () => this.scheduleRefresh(300);
    watcher.onDidChange(onGitChange);
    watcher.onDidCreate(onGitChange);
    watcher.onDidDelete(onGitChange);
    this.repoWatchers.set(repoRoot, watcher);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.repoWatchers.forEach((w) => w.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
