// Problems panel entries for prompt files: malformed YAML, unknown fields, variables used but
// not declared and the reverse — from the parser's diagnostics, never an exception.
import * as vscode from 'vscode';
import { parsePromptFile } from '../../core/prompts/promptFile';
import type { PromptDiagnostic } from '../../core/prompts/promptTypes';
import type { LabelService } from './labelService';

const SEVERITY: Record<PromptDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function registerPromptDiagnostics(labels: LabelService): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('promptLedger.prompts');
  const check = (doc: vscode.TextDocument) => {
    if (!labels.isPrompt(doc.uri)) return;
    const parsed = parsePromptFile(doc.getText(), doc.uri.fsPath);
    collection.set(doc.uri, parsed.diagnostics.map((d) => {
      const diag = new vscode.Diagnostic(new vscode.Range(d.line, d.column, d.endLine, d.endColumn), d.message, SEVERITY[d.severity]);
      diag.source = 'Prompt Ledger';
      diag.code = d.code;
      return diag;
    }));
  };
  vscode.workspace.textDocuments.forEach(check);
  return [
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  ];
}
