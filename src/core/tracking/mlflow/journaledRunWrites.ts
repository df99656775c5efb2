// Writes that survive the server going away (log-batch, set-tag, update, trace batches, dataset
// inputs): with a journal folder, a write the server cannot take yet is queued on disk and
// delivered, in order and exactly once, when the server is back; newer writes queue behind older
// ones. Without a journal folder writes go straight through.
import { TrackingError, type RunInfo } from '../types';
import type { Journal, JournalOp } from './journal';

/** Marks a write that was queued instead of delivered. */
export const JOURNALED = Symbol('journaled');

export class JournaledRunWrites {
  private flushing: Promise<number> | undefined;

  constructor(private readonly journal: Journal | undefined, private readonly deliver: (op: JournalOp) => Promise<RunInfo | undefined>) {}

  /** Number of run writes waiting in the journal for the server. */
  pendingCount(): number {
    return this.journal?.count() ?? 0;
  }

  /**
   * Delivers journaled writes in order. Stops at the first entry the server cannot take yet
   * (still unreachable) and returns how many were delivered.
   */
  flush(): Promise<number> {
    if (!this.journal) return Promise.resolve(0);
    this.flushing ??= this.doFlush().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async doFlush(): Promise<number> {
    const journal = this.journal!;
    let delivered = 0;
    for (const { entry, file } of journal.pending()) {
      try {
        await this.deliver(entry);
      } catch (e) {
        if (isUnavailable(e)) break;
        // Refused for good (run deleted, param conflict): keep it aside for inspection.
        journal.setAside(file);
        continue;
      }
      journal.markDelivered(entry, file);
      delivered++;
    }
    return delivered;
  }

  /**
   * Sends a write; with a journal, queues it when the server is unreachable. A log-batch that
   * failed part way is queued whole: its chunks that did land are absorbed when re-sent (identical
   * params accepted, identical metrics ignored, tags set to the same value).
   */
  async write(op: JournalOp): Promise<RunInfo | undefined | typeof JOURNALED> {
    const journal = this.journal;
    if (!journal) return this.deliver(op);
    // Keep order: while older writes wait, newer ones queue behind them.
    if (journal.count() > 0) {
      await this.flush();
      if (journal.count() > 0) {
        journal.append(op);
        return JOURNALED;
      }
    }
    try {
      return await this.deliver(op);
    } catch (e) {
      if (!isUnavailable(e)) throw e;
      journal.append(op);
      return JOURNALED;
    }
  }
}

function isUnavailable(e: unknown): boolean {
  return e instanceof TrackingError && e.code === 'UNAVAILABLE';
}
