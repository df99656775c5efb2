// The registry line of each prompt's CodeLens and hover, looked up in the background and cached
// per prompt and content, so typing never waits on a server; refreshed when the store changes.
import * as vscode from 'vscode';
import { registryStatusOf, type RegistryStatus } from '../../core/registry/registryStatus';
import type { TrackingService } from '../trackingService';
import type { PromptInfo } from './labelService';

export class RegistryStatusService implements vscode.Disposable {
  private readonly cache = new Map<string, RegistryStatus | undefined>();
  private readonly pending = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tracking: TrackingService) {
    this.subscription = tracking.onDidChange(() => { this.cache.clear(); this.changed.fire(); });
  }

  /** The cached status; starts a lookup (and fires onDidChange when it lands) when there is none. */
  get(uri: vscode.Uri, info: PromptInfo, text: string): RegistryStatus | undefined {
    const key = `${info.parsed.name}\u0000${info.contentHash}`;
    if (this.cache.has(key)) return this.cache.get(key);
    if (!this.pending.has(key)) {
      this.pending.add(key);
      void this.lookup(key, info, text, vscode.workspace.asRelativePath(uri, false)).finally(() => this.pending.delete(key));
    }
    return undefined;
  }

  private async lookup(key: string, info: PromptInfo, text: string, relPath: string): Promise<void> {
    const store = await this.tracking.getStore().catch(() => undefined);
    const status = store ? await registryStatusOf(store, info.parsed.name, { text, path: relPath, contentHash: info.contentHash }) : undefined;
    this.cache.set(key, status);
    this.changed.fire();
  }

  dispose(): void { this.subscription.dispose(); this.changed.dispose(); }
}
