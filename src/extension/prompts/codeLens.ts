// The first-line CodeLens: `v7 · 3f2a9c1 · edited` followed by Run eval · History · Compare.
import * as vscode from 'vscode';
import { readConfig } from '../config';
import type { LabelService } from './labelService';
import type { RegistryStatusService } from './registryStatusService';
import type { PassRateService } from './passRateService';

export class PromptCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly labels: LabelService, private readonly registry?: RegistryStatusService, private readonly passRate?: PassRateService) {
    labels.onDidChange(() => this.changed.fire());
    registry?.onDidChange(() => this.changed.fire());
    passRate?.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!readConfig(doc.uri).codeLensEnabled || !this.labels.isPrompt(doc.uri)) return [];
    const info = await this.labels.ensure(doc.uri);
    const range = new vscode.Range(0, 0, 0, 0);
    const label = info?.label.text ?? 'labelling…';
    const registry = info ? this.registry?.get(doc.uri, info, doc.getText()) : undefined;
    const quality = info ? this.passRate?.get(doc.uri, info) : undefined;
    return [
      new vscode.CodeLens(range, { title: label, command: 'promptLedger.showHistory', arguments: [doc.uri], tooltip: 'Prompt version (commits that touched this file) · commit · state. Click for history.' }),
      ...(registry ? [new vscode.CodeLens(range, { title: registry.text, command: 'promptLedger.openRegistryPanel', arguments: [doc.uri], tooltip: 'This file against the prompt registry (same content hash, or the same MLflow messages and model config). Click to open the registry.' })] : []),
      ...(quality ? [new vscode.CodeLens(range, quality.kind === 'evaluated'
        ? { title: quality.text, command: 'promptLedger.openRunDetails', arguments: [quality.runId], tooltip: 'Pass rate of the last whole-suite eval run of exactly this text (content hash), and its difference in points to the last run of the production version. Click for the run.' }
        : { title: quality.text, command: 'promptLedger.runEval', arguments: [doc.uri], tooltip: 'This text changed since its last eval run. Click to run the eval.' })] : []),
      new vscode.CodeLens(range, { title: 'Run eval', command: 'promptLedger.runEval', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'History', command: 'promptLedger.showHistory', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Compare', command: 'promptLedger.compareWithVersion', arguments: [doc.uri] }),
    ];
  }

  dispose(): void { this.changed.dispose(); }
}
