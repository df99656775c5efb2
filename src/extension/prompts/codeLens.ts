// The first-line CodeLens: `v7 · 3f2a9c1 · edited` followed by Run eval · History · Compare.
import * as vscode from 'vscode';
import { readConfig } from '../config';
import type { LabelService } from './labelService';

export class PromptCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly labels: LabelService) {
    labels.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!readConfig(doc.uri).codeLensEnabled || !this.labels.isPrompt(doc.uri)) return [];
    const info = await this.labels.ensure(doc.uri);
    const range = new vscode.Range(0, 0, 0, 0);
    const label = info?.label.text ?? 'labelling…';
    return [
      new vscode.CodeLens(range, { title: label, command: 'promptLedger.showHistory', arguments: [doc.uri], tooltip: 'Prompt version (commits that touched this file) · commit · state. Click for history.' }),
      new vscode.CodeLens(range, { title: 'Run eval', command: 'promptLedger.runEval', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'History', command: 'promptLedger.showHistory', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Compare', command: 'promptLedger.compareWithVersion', arguments: [doc.uri] }),
    ];
  }

  dispose(): void { this.changed.dispose(); }
}
