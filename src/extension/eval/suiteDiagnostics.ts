// Eval suites checked as you type, and their datasets checked before spending: validateSuiteFile's
// problems (1-based lines/columns, each with a fix hint) become VS Code diagnostics in the Problems
// panel, on the suite or at the dataset row they are about. Every suite in the workspace is checked
// (so opening a dataset shows its problems), with unsaved editor text taking the place of the disk.
// A dataset or prompt may be shared by several suites: each file's list is the union of theirs.
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/eval/diagnostics';
import { validateSuiteFile } from '../../core/eval/validation/validateSuite';
import type { ValidationReport } from '../../core/eval/validation/problems';
import { isSuitePath } from './targetUri';

export const SUITE_DIAGNOSTICS_NAME = 'promptLedger.evalSuites';
const DEBOUNCE_MS = 250;
const SUITE_GLOB = '**/*.eval.{yaml,yml}';
const MAX_SUITES = 500;

export function toVscodeDiagnostic(d: Diagnostic & { code?: string }, doc?: vscode.TextDocument): vscode.Diagnostic {
  const line = Math.max(0, d.line - 1);
  const col = Math.max(0, d.column - 1);
  let end: vscode.Position;
  if (d.endLine !== undefined && d.endColumn !== undefined) {
    end = new vscode.Position(Math.max(0, d.endLine - 1), Math.max(0, d.endColumn - 1));
  } else if (doc && line < doc.lineCount) {
    end = doc.lineAt(line).range.end;
  } else {
    end = new vscode.Position(line, col + 1);
  }
  const start = new vscode.Position(line, col);
  if (end.isBefore(start) || end.isEqual(start)) end = new vscode.Position(line, col + 1);
  const diag = new vscode.Diagnostic(
    new vscode.Range(start, end),
    d.hint ? `${d.message} (fix: ${d.hint})` : d.message,
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diag.source = 'Prompt Ledger';
  if (d.code && d.code !== 'suite' && d.code !== 'dataset') diag.code = d.code;
  return diag;
}

export class SuiteDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SUITE_DIAGNOSTICS_NAME);
  /** The latest report per suite (absolute path), for the suite CodeLens. */
  private readonly reports = new Map<string, ValidationReport>();
  /** Files each suite depends on (its dataset, its prompts) → re-check the suite when they change. */
  private readonly dependencies = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the suite path whenever its report changes. */
  readonly onDidChangeReport = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(SUITE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.scheduleSuite(u.fsPath)),
      watcher.onDidChange((u) => this.scheduleSuite(u.fsPath)),
      watcher.onDidDelete((u) => this.forget(u.fsPath)),
      vscode.workspace.onDidOpenTextDocument((d) => this.onDocument(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocument(e.document)),
      // A closed editor's unsaved text is gone: check against the disk again.
      vscode.workspace.onDidCloseTextDocument((d) => this.onDocument(d)),
    );
    for (const d of vscode.workspace.textDocuments) if (isSuiteDoc(d)) this.validatePath(d.uri.fsPath);
    void this.scanWorkspace();
  }

  private async scanWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles(SUITE_GLOB, '**/{node_modules,.git,.promptledger}/**', MAX_SUITES);
    for (const u of uris) if (!this.reports.has(u.fsPath)) this.validatePath(u.fsPath);
  }

  private onDocument(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    if (isSuitePath(file)) this.scheduleSuite(file);
    for (const [suite, deps] of this.dependencies) if (deps.has(file)) this.scheduleSuite(suite);
  }

  private scheduleSuite(file: string): void {
    clearTimeout(this.timers.get(file));
    this.timers.set(file, setTimeout(() => { this.timers.delete(file); this.validatePath(file); }, DEBOUNCE_MS));
  }

  report(suiteFile: string): ValidationReport | undefined {
    return this.reports.get(suiteFile);
  }

  /** Validates a suite document now and returns what was reported on the suite file itself. */
  validate(doc: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (!isSuiteDoc(doc)) return [];
    this.validatePath(doc.uri.fsPath);
    return this.collection.get(doc.uri) ?? [];
  }

  private validatePath(suiteFile: string): void {
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
    const report = validateSuiteFile(suiteFile, { readText: (f) => open.get(f)?.getText() });
    const before = this.filesOf(suiteFile);
    this.reports.set(suiteFile, report);
    this.dependencies.set(suiteFile, new Set([...(report.datasetPath ? [report.datasetPath] : []), ...(report.promptPaths ?? [])]));
    this.publish(new Set([...before, ...this.filesOf(suiteFile), suiteFile]), open);
    this.changed.fire(suiteFile);
  }

  private forget(suiteFile: string): void {
    const files = this.filesOf(suiteFile);
    this.reports.delete(suiteFile);
    this.dependencies.delete(suiteFile);
    this.publish(new Set([...files, suiteFile]), new Map());
    this.changed.fire(suiteFile);
  }

  private filesOf(suiteFile: string): Set<string> {
    return new Set((this.reports.get(suiteFile)?.problems ?? []).map((p) => p.file));
  }

  /** Each file's diagnostics: the union over every suite that reports on it. */
  private publish(files: Set<string>, open: Map<string, vscode.TextDocument>): void {
    for (const file of files) {
      const list: vscode.Diagnostic[] = [];
      for (const r of this.reports.values()) for (const p of r.problems) if (p.file === file) list.push(toVscodeDiagnostic(p, open.get(file)));
      if (list.length) this.collection.set(vscode.Uri.file(file), list);
      else this.collection.delete(vscode.Uri.file(file));
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.disposables.forEach((d) => d.dispose());
  }
}

function isSuiteDoc(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && isSuitePath(doc.uri.fsPath);
}
