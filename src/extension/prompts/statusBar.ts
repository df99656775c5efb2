// Status bar item for the active prompt: its version label; click for history.
import * as vscode from 'vscode';
import { shortHash } from '../../core/prompts/contentHash';
import type { LabelService } from './labelService';

export function createPromptStatusBar(labels: LabelService): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('promptLedger.version', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Prompt Ledger: prompt version';
  item.command = 'promptLedger.showHistory';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const isPrompt = !!editor && labels.isPrompt(editor.document.uri);
    void vscode.commands.executeCommand('setContext', 'promptLedger.activeIsPrompt', isPrompt);
    const info = editor && isPrompt ? labels.get(editor.document.uri) : undefined;
    if (!info) { item.hide(); return; }
    item.text = `$(versions) ${info.label.text}`;
    item.tooltip = `${info.parsed.name}: ${info.label.text} · content ${shortHash(info.contentHash)} — click for history`;
    item.show();
  };
  update();
  return [item, vscode.window.onDidChangeActiveTextEditor(update), labels.onDidChange(update)];
}
