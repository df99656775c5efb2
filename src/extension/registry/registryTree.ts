// The Registry view: prompts and registered models → versions (aliases and legacy stage as
// description badges) → aliases. Prompts come from the prompt registry (MLflow's conventions on
// registered models); models are the registered models that are not prompts.
import * as vscode from 'vscode';
import { listModels, listModelVersions, listPrompts, listPromptVersions, type PromptSummary, type PromptVersionInfo } from '../../core/registry/promptRegistry';
import type { TrackingStore } from '../../core/tracking/types';
import type { Services } from '../services';

export type RegistryNode =
  | { kind: 'prompt'; name: string; aliases: { alias: string; version: string }[] }
  | { kind: 'model'; name: string; aliases: { alias: string; version: string }[] }
  | { kind: 'version'; of: 'prompt' | 'model'; name: string; version: string; aliases: string[]; stage?: string; detail?: string }
  | { kind: 'alias'; of: 'prompt' | 'model'; name: string; alias: string; version: string }
  | { kind: 'message'; text: string };


export class RegistryTreeProvider implements vscode.TreeDataProvider<RegistryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RegistryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  view?: vscode.TreeView<RegistryNode>;

  constructor(private readonly services: Services) {}

  refresh(): void { this.changed.fire(undefined); }

  getTreeItem(n: RegistryNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (n.kind) {
      case 'prompt':
      case 'model': {
        const item = new vscode.TreeItem(n.name, C.Collapsed);
        item.id = `${n.kind}:${n.name}`;
        item.iconPath = new vscode.ThemeIcon(n.kind === 'prompt' ? 'note' : 'package');
        item.description = n.aliases.map((a) => `@${a.alias}→v${a.version}`).join(' ');
        item.contextValue = n.kind === 'prompt' ? 'registryPrompt' : 'registryModel';
        item.tooltip = `${n.kind === 'prompt' ? 'Prompt' : 'Registered model'} ${n.name}`;
        return item;
      }
      case 'version': {
        const item = new vscode.TreeItem(`v${n.version}`, n.aliases.length ? C.Collapsed : C.None);
        item.id = `${n.of}:${n.name}:v${n.version}`;
        item.iconPath = new vscode.ThemeIcon(n.aliases.length ? 'tag' : 'versions');
        item.description = [...n.aliases.map((a) => `@${a}`), ...(n.stage ? [`[${n.stage}]`] : []), ...(n.detail ? [n.detail] : [])].join(' ');
        item.contextValue = n.of === 'prompt' ? 'registryPromptVersion' : 'registryModelVersion';
        return item;
      }
      case 'alias': {
        const item = new vscode.TreeItem(`@${n.alias}`, C.None);
        item.id = `${n.of}:${n.name}:@${n.alias}`;
        item.iconPath = new vscode.ThemeIcon('bookmark');
        item.description = `→ v${n.version}`;
        item.contextValue = n.of === 'prompt' ? 'registryPromptAlias' : 'registryModelAlias';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(n.text, C.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  async getChildren(n?: RegistryNode): Promise<RegistryNode[]> {
    try {
      const store = await this.services.tracking.getStore();
      if (!n) return await this.roots(store);
      if (n.kind === 'prompt') return (await listPromptVersions(store, n.name)).map((v) => promptVersionNode(v));
      if (n.kind === 'model') return await this.modelVersions(store, n);
      if (n.kind === 'version') return n.aliases.map((alias) => ({ kind: 'alias', of: n.of, name: n.name, alias, version: n.version }));
      return [];
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      this.services.output.appendLine(`Registry view: ${message}`);
      if (this.view && !n) this.view.message = `Cannot read the registry at ${this.services.tracking.describe()}: ${message}`;
      return n ? [{ kind: 'message', text: message }] : [];
    }
  }

  private async roots(store: TrackingStore): Promise<RegistryNode[]> {
    const prompts = await listPrompts(store);
    // A server without registered-model search for plain models still lists its prompts.
    const models = await listModels(store).catch(() => [] as PromptSummary[]);
    const promptNames = new Set(prompts.map((p) => p.name));
    const nodes: RegistryNode[] = [
      ...prompts.map((p) => ({ kind: 'prompt' as const, name: p.name, aliases: p.aliases })),
      ...models.filter((m) => !promptNames.has(m.name)).map((m) => ({ kind: 'model' as const, name: m.name, aliases: m.aliases })),
    ];
    if (this.view) this.view.message = nodes.length ? undefined : `No registered prompts in ${this.services.tracking.describe()} yet. Open a prompt and run "Register Prompt Version".`;
    return nodes;
  }

  private async modelVersions(store: TrackingStore, n: { name: string; aliases: { alias: string; version: string }[] }): Promise<RegistryNode[]> {
    return (await listModelVersions(store, n)).map((v) => ({
      kind: 'version' as const, of: 'model' as const, name: n.name, version: v.version, aliases: v.aliases, stage: v.legacyStage,
    }));
  }

  dispose(): void { this.changed.dispose(); }
}

export function promptVersionNode(v: PromptVersionInfo): RegistryNode {
  const evals = v.linkedRuns.length ? `${v.linkedRuns.length} eval${v.linkedRuns.length === 1 ? '' : 's'}` : undefined;
  return {
    kind: 'version', of: 'prompt', name: v.name, version: v.version, aliases: v.aliases, stage: v.legacyStage,
    detail: [v.gitCommit?.slice(0, 7), evals].filter(Boolean).join(' · ') || undefined,
  };
}

