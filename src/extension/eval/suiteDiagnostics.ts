// Eval suites checked as you type: validateSuiteText's problems (1-based lines/columns, each with
// a fix hint) become VS Code diagnostics in the Problems panel. A suite's problems may point into
// its dataset file, so each suite remembers which files it reported on, to clear them later.
import * as vscode from 'vscode';
import { validateSuiteText } from '../../core/eval/suiteLoader';
import type { Diagnostic } from '../../core/eval/diagnostics';
import { isSuitePath } from './targetUri';

export const SUITE_DIAGNOSTICS_NAME = 'promptLedger.evalSuites';
const DEBOUNCE_MS = 250;

export function toVscodeDiagnostic(d: Diagnostic, doc?: vscode.TextDocument): vscode.Diagnostic {
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
  return diag;
}

export class SuiteDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SUITE_DIAGNOSTICS_NAME);
  private readonly reported = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.validate(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isSuiteDoc(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.validate(doc); }, DEBOUNCE_MS));
  }

  /** Validates now and returns what was reported on the suite file itself. */
  validate(doc: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (!isSuiteDoc(doc)) return [];
    const key = doc.uri.toString();
    const found = validateSuiteText(doc.getText(), doc.uri.fsPath);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    byFile.set(doc.uri.fsPath, []);
    for (const d of found) {
      const onSuite = d.file === doc.uri.fsPath;
      const list = byFile.get(d.file) ?? [];
      list.push(toVscodeDiagnostic(d, onSuite ? doc : undefined));
      byFile.set(d.file, list);
    }
    for (const old of this.reported.get(key) ?? []) if (!byFile.has(old)) this.collection.delete(vscode.Uri.file(old));
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    this.reported.set(key, new Set(byFile.keys()));
    return byFile.get(doc.uri.fsPath) ?? [];
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const f of this.reported.get(key) ?? []) this.collection.delete(vscode.Uri.file(f));
    this.reported.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.disposables.forEach((d) => d.dispose());
  }
}

function isSuiteDoc(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && isSuitePath(doc.uri.fsPath);
}
