// The suite's first-line CodeLens: `8 cases · 1 problem` from the same validation report the
// Problems panel shows (SuiteDiagnostics); clicking it opens the Problems panel.
import * as vscode from 'vscode';
import { readConfig } from '../config';
import { reportSummary } from '../../core/eval/validation/problems';
import type { SuiteDiagnostics } from './suiteDiagnostics';

export const SUITE_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.eval.{yaml,yml}' }];

export class SuiteCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly diagnostics: SuiteDiagnostics) {
    this.sub = diagnostics.onDidChangeReport(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!readConfig(doc.uri).codeLensEnabled) return [];
    const report = this.diagnostics.report(doc.uri.fsPath);
    if (!report) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const tooltip = report.problems.length
      ? `${report.errors} error(s), ${report.warnings} warning(s) in the suite and its dataset, found without calling a model. Click to open the Problems panel.`
      : 'The suite and its dataset were checked without calling a model: no problems.';
    return [
      new vscode.CodeLens(range, { title: reportSummary(report), command: 'workbench.actions.view.problems', tooltip }),
      new vscode.CodeLens(range, { title: 'Run eval', command: 'promptLedger.runEval', arguments: [doc.uri] }),
    ];
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
