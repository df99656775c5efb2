// The pass-rate line of each prompt's CodeLens and hover (core/eval/promptPassRate.ts), looked up
// in the background and cached per prompt and content, so typing never waits on a server;
// refreshed when the store changes (a run finished).
import * as vscode from 'vscode';
import { promptPassRate, type PassRateStatus } from '../../core/eval/promptPassRate';
import type { TrackingService } from '../trackingService';
import type { PromptInfo } from './labelService';

export class PassRateService implements vscode.Disposable {
  private readonly cache = new Map<string, PassRateStatus | undefined>();
  private readonly pending = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tracking: TrackingService) {
    this.subscription = tracking.onDidChange(() => { this.cache.clear(); this.changed.fire(); });
  }

  /** The cached status; starts a lookup (and fires onDidChange when it lands) when there is none. */
  get(uri: vscode.Uri, info: PromptInfo): PassRateStatus | undefined {
    const relPath = vscode.workspace.asRelativePath(uri, false);
    const key = `${relPath}\u0000${info.contentHash}`;
    if (this.cache.has(key)) return this.cache.get(key);
    if (!this.pending.has(key)) {
      this.pending.add(key);
      void this.lookup(key, { name: info.parsed.name, contentHash: info.contentHash, relPath }).finally(() => this.pending.delete(key));
    }
    return undefined;
  }

  private async lookup(key: string, q: Parameters<typeof promptPassRate>[1]): Promise<void> {
    const store = await this.tracking.getStore().catch(() => undefined);
    this.cache.set(key, store ? await promptPassRate(store, q) : undefined);
    this.changed.fire();
  }

  dispose(): void { this.subscription.dispose(); this.changed.dispose(); }
}
