// The Prompts view: prompt files (with their version label) → their versions along git history.
import path from 'node:path';
import * as vscode from 'vscode';
import { fileHistory, type PromptVersionEntry } from '../../core/versions/history';
import type { LabelService, PromptInfo } from './labelService';

export type PromptTreeNode =
  | { kind: 'file'; info: PromptInfo }
  | { kind: 'version'; info: PromptInfo; entry: PromptVersionEntry; isHead: boolean }
  | { kind: 'message'; text: string };

export class PromptsTreeProvider implements vscode.TreeDataProvider<PromptTreeNode> {
  private readonly changed = new vscode.EventEmitter<PromptTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly labels: LabelService) {
    labels.onDidChange(() => this.changed.fire(undefined));
  }

  async getChildren(node?: PromptTreeNode): Promise<PromptTreeNode[]> {
    if (!node) {
      const all = this.labels.all();
      return all.map((info) => ({ kind: 'file', info }));
    }
    if (node.kind !== 'file' || !node.info.repoRoot || !node.info.repoRelPath) return [];
    const history = await fileHistory(node.info.repoRoot, node.info.repoRelPath);
    if (history.length === 0) return [{ kind: 'message', text: 'No committed versions yet' }];
    return history.map((entry, i) => ({ kind: 'version', info: node.info, entry, isHead: i === 0 }));
  }

  getTreeItem(node: PromptTreeNode): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    if (node.kind === 'file') {
      const { info } = node;
      const item = new vscode.TreeItem(path.basename(info.relPath), info.repoRoot ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `file:${info.uri.toString()}`;
      item.resourceUri = info.uri;
      item.description = `${info.label.text}${path.dirname(info.relPath) !== '.' ? ` — ${path.dirname(info.relPath)}` : ''}`;
      item.tooltip = `${info.relPath}\n${info.label.text}\ncontent ${info.contentHash.slice(0, 12)}`;
      item.contextValue = 'promptFile';
      item.command = { command: 'vscode.open', title: 'Open', arguments: [info.uri] };
      return item;
    }
    const { entry, info } = node;
    const item = new vscode.TreeItem(`v${entry.version} · ${entry.shortCommit}`, vscode.TreeItemCollapsibleState.None);
    item.id = `version:${info.uri.toString()}:${entry.commit}`;
    item.description = `${entry.subject}${node.isHead && info.label.edited ? ' (working copy edited)' : ''}`;
    item.tooltip = `${entry.subject}\n${entry.author} · ${entry.date}\n${entry.commit}\n${entry.pathAtCommit}`;
    item.iconPath = new vscode.ThemeIcon(node.isHead ? 'git-commit' : 'circle-outline');
    item.contextValue = 'promptVersion';
    item.command = { command: 'promptLedger.compareWithVersion', title: 'Compare with working copy', arguments: [node] };
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}
