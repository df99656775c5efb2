// Lines of a prompt's CodeLens and hover that need the tracking store (registry status, pass
// rate) are looked up in the background and cached by key, so typing never waits on a server;
// the cache empties when the store changes (a run finished, a version registered).
import * as vscode from 'vscode';
import type { TrackingStore } from '../../core/tracking/types';
import type { TrackingService } from '../trackingService';

export class StoreLookupCache<T> implements vscode.Disposable {
  private readonly cache = new Map<string, T | undefined>();
  private readonly pending = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a lookup lands or the store changed: time to ask again. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tracking: TrackingService) {
    this.subscription = tracking.onDidChange(() => { this.cache.clear(); this.changed.fire(); });
  }

  /** The cached value for `key`; starts `compute` (once) when there is none yet. */
  protected cached(key: string, compute: (store: TrackingStore) => Promise<T | undefined>): T | undefined {
    if (this.cache.has(key)) return this.cache.get(key);
    if (!this.pending.has(key)) {
      this.pending.add(key);
      void (async () => {
        const store = await this.tracking.getStore().catch(() => undefined);
        this.cache.set(key, store ? await compute(store) : undefined);
        this.changed.fire();
      })().finally(() => this.pending.delete(key));
    }
    return undefined;
  }

  dispose(): void { this.subscription.dispose(); this.changed.dispose(); }
}
