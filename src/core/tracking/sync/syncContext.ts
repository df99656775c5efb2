// What every phase of a sync shares: the two stores, the report, the local → remote id maps, and
// the crash-safe mapping records kept in the embedded store's own log (per target).
import type { EmbeddedStore } from '../local/embeddedStore';
import type { TrackingStore } from '../types';

export const SYNCED_FROM_TAG = 'promptledger.syncedFrom';

export interface SyncProgress {
  phase: 'experiments' | 'runs' | 'registry' | 'links' | 'traces';
  done: number;
  total: number;
  item?: string;
}

export interface SyncCounts { created: number; updated: number; skipped: number }

export interface SyncReport {
  target: string;
  experiments: SyncCounts;
  runs: SyncCounts;
  artifacts: { uploaded: number; skipped: number };
  registeredModels: SyncCounts;
  modelVersions: SyncCounts;
  aliases: SyncCounts;
  /** Case traces sent (each with its assessments); a re-sent trace merges on the server. */
  traces: { sent: number };
  /** Problems that did not stop the sync (e.g. a model version source the server refuses). */
  warnings: string[];
}

export interface SyncOptions {
  onProgress?: (p: SyncProgress) => void;
  /** Aborting stops between entities; what was pushed so far is recorded, and the next sync resumes. */
  signal?: AbortSignal;
  /** Only these local experiments (default: all active ones). */
  experimentIds?: string[];
}

/** Raised when the signal aborts; `report` counts what was done before. */
export class SyncAbortedError extends Error {
  constructor(readonly report: SyncReport) {
    super('Sync aborted; run it again to resume where it stopped.');
    this.name = 'AbortError';
  }
}

export const counts = (): SyncCounts => ({ created: 0, updated: 0, skipped: 0 });

export class SyncContext {
  readonly target: string;
  /** local run id → remote run id, for runs seen in this sync (also filled from the store's mappings). */
  readonly runMap = new Map<string, string>();
  readonly expMap = new Map<string, string>();
  /** `name/localVersion` → remote version number. */
  readonly versionMap = new Map<string, string>();

  constructor(readonly from: EmbeddedStore, readonly to: TrackingStore, readonly report: SyncReport, readonly opts: SyncOptions) {
    this.target = to.location;
  }

  checkAbort(): void {
    if (this.opts.signal?.aborted) throw new SyncAbortedError(this.report);
  }

  progress(p: SyncProgress): void {
    this.opts.onProgress?.(p);
  }

  mapping(entity: string, localId: string): string | undefined {
    return this.from.getSyncMapping(this.target, entity, localId);
  }

  async remember(entity: string, localId: string, remoteId: string): Promise<void> {
    if (this.mapping(entity, localId) !== remoteId) await this.from.setSyncMapping(this.target, entity, localId, remoteId);
  }

  /** The remote run a local run became, in this sync or an earlier one. */
  remoteRunOf(localRunId: string): string | undefined {
    return this.runMap.get(localRunId) ?? this.mapping('run', localRunId);
  }
}
