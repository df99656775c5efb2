// Prompt blame in the editor: toggled per file, each line gets an after-line text in a muted
// colour (`a1b2c3d · pass 88 % ▼4`) and a hover (blameHover.ts). A file's blame is computed once
// per text and kept until the text, a commit (label refresh) or the runs (after evaluating
// missing versions) change. Evaluating runs the "eval any version" path in the background.
import path from 'node:path';
import * as vscode from 'vscode';
import { promptBlame, type PromptBlame } from '../../core/blame/promptBlame';
import { blameInlineText } from '../../core/blame/blameText';
import { normalizedContentHash } from '../../core/prompts/contentHash';
import { workspaceRoot } from '../config';
import { runEvalOnVersionCommand } from '../eval/reproduceCommands';
import { evalRefusal } from '../eval/trustGate';
import type { Services } from '../services';
import { blameHover } from './blameHover';

export class PromptBlameController implements vscode.Disposable, vscode.HoverProvider {
  private readonly enabled = new Set<string>();
  /** Blame per file text: key `uri \0 content hash \0 the file's last commit \0 generation (runs)`. */
  private readonly cache = new Map<string, Promise<PromptBlame>>();
  private readonly shown = new Map<string, { blame: PromptBlame; decorations: vscode.DecorationOptions[] }>();
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a file's decorations were (re)applied or removed. */
  readonly onDidChange = this.changed.event;
  readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic', margin: '0 0 0 3em' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [this.decorationType, this.changed];

  constructor(private readonly services: Services) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => void this.renderVisible()),
      vscode.workspace.onDidSaveTextDocument((doc) => { if (this.isOn(doc.uri)) void this.render(doc.uri); }),
      // A commit, checkout or branch switch relabels the prompts: the key's commit changes and the
      // file is blamed again. Labels also change on every keystroke: unsaved text waits for a save.
      services.labels.onDidChange(() => { if (this.enabled.size) void this.renderVisible((doc) => !doc.isDirty); }),
    );
  }

  isOn(uri: vscode.Uri): boolean {
    return this.enabled.has(uri.toString());
  }

  /** Turns blame on or off for the file; resolves with the new state once decorations are applied. */
  async toggle(uri: vscode.Uri): Promise<boolean> {
    if (this.isOn(uri)) {
      this.enabled.delete(uri.toString());
      this.shown.delete(uri.toString());
      for (const e of this.editorsOf(uri)) e.setDecorations(this.decorationType, []);
      this.changed.fire(uri);
      return false;
    }
    this.enabled.add(uri.toString());
    await this.render(uri);
    return true;
  }

  blameOf(uri: vscode.Uri): PromptBlame | undefined {
    return this.shown.get(uri.toString())?.blame;
  }

  /** The decorations applied to the file's editors (what the user sees after each line). */
  decorationsOf(uri: vscode.Uri): readonly vscode.DecorationOptions[] {
    return this.shown.get(uri.toString())?.decorations ?? [];
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const shown = this.shown.get(doc.uri.toString());
    const line = shown?.blame.lines[pos.line];
    if (!shown || !line) return undefined;
    return new vscode.Hover(blameHover(doc.uri, shown.blame, line, vscode.workspace.isTrusted), doc.lineAt(pos.line).range);
  }

  /** Blame again (new runs or commits): drops the cached blame of every file. */
  async refresh(uri?: vscode.Uri): Promise<void> {
    this.generation++;
    this.cache.clear();
    await (uri ? this.render(uri) : this.renderVisible());
  }

  /**
   * Runs the suite on each version without a run (Run Eval on This Version, in the background,
   * one notification with the count and a cancel button), then refreshes the blame.
   */
  async evaluateMissing(uri: vscode.Uri): Promise<number> {
    const refusal = evalRefusal(vscode.workspace.isTrusted);
    if (refusal) {
      void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`);
      return 0;
    }
    const blame = this.blameOf(uri) ?? await this.compute(uri);
    if (blame.missing.length === 0) return 0;
    const root = workspaceRoot();
    const suiteFile = blame.suite && root ? path.join(root, blame.suite) : undefined;
    let done = 0;
    await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, cancellable: true,
      title: `Prompt blame: evaluating ${blame.missing.length} version${blame.missing.length === 1 ? '' : 's'} of ${path.basename(uri.fsPath)}`,
    }, async (progress, token) => {
      for (const m of blame.missing) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${m.shortCommit}${m.subject ? ` ${m.subject}` : ''} (${done + 1}/${blame.missing.length})`, increment: 100 / blame.missing.length });
        const result = await runEvalOnVersionCommand(this.services, uri.fsPath, m.commit, { quiet: true, progressLocation: vscode.ProgressLocation.Window }, suiteFile);
        if (!result || result.cancelled) break;
        done++;
      }
    });
    await this.refresh(uri);
    return done;
  }

  private editorsOf(uri: vscode.Uri): vscode.TextEditor[] {
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri.toString());
  }

  private async renderVisible(which: (doc: vscode.TextDocument) => boolean = () => true): Promise<void> {
    const uris = new Map(vscode.window.visibleTextEditors.filter((e) => this.isOn(e.document.uri) && which(e.document)).map((e) => [e.document.uri.toString(), e.document.uri]));
    // A file whose blame fails (git gone, store unreachable) is switched off and says why in the log.
    await Promise.all([...uris.values()].map((u) => this.render(u).catch((err: unknown) => {
      this.services.output.appendLine(`prompt blame ${vscode.workspace.asRelativePath(u)}: ${err instanceof Error ? err.message : String(err)}`);
    })));
  }

  private async compute(uri: vscode.Uri): Promise<PromptBlame> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const key = [uri.toString(), normalizedContentHash(text), this.services.labels.get(uri)?.label.commit ?? '', this.generation].join('\u0000');
    let pending = this.cache.get(key);
    if (!pending) {
      pending = (async () => promptBlame(await this.services.tracking.getStore(), {
        file: uri.fsPath, relPath: vscode.workspace.asRelativePath(uri, false), contents: doc.isDirty ? text : undefined,
      }))();
      // One text per file is kept: an older text's blame is not shown again.
      for (const k of this.cache.keys()) if (k.startsWith(`${uri.toString()}\u0000`)) this.cache.delete(k);
      this.cache.set(key, pending);
      pending.catch(() => this.cache.delete(key));
    }
    return pending;
  }

  private async render(uri: vscode.Uri): Promise<void> {
    let blame: PromptBlame;
    try {
      blame = await this.compute(uri);
    } catch (err) {
      this.enabled.delete(uri.toString());
      throw err;
    }
    if (!this.isOn(uri)) return; // toggled off while computing
    const doc = await vscode.workspace.openTextDocument(uri);
    const decorations = blame.lines.filter((l) => l.line - 1 < doc.lineCount).map((l) => {
      const end = doc.lineAt(l.line - 1).range.end;
      return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: blameInlineText(l) } } };
    });
    this.shown.set(uri.toString(), { blame, decorations });
    for (const e of this.editorsOf(uri)) e.setDecorations(this.decorationType, decorations);
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
