// Writes that survive the server going away (log-batch, set-tag, update, trace batches, dataset
// inputs): with a journal folder, a write the server cannot take yet is queued on disk and
// delivered, in order and exactly once, when the server is back; newer writes queue behind older
// ones. Without a journal folder writes go straight through.
import { TrackingError, type RunInfo } from '../types';
import { splitLogBatch } from './batching';
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

  /** Sends a run write; with a journal, queues it (or a log-batch's unsent rest) when the server is unreachable. */
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
    // A log-batch goes chunk by chunk, so only what the server did not take is queued.
    const parts: JournalOp[] = op.op === 'logBatch' ? splitLogBatch(op.batch).map((batch) => ({ op: 'logBatch', runId: op.runId, batch })) : [op];
    for (let i = 0; i < parts.length; i++) {
      try {
        const info = await this.deliver(parts[i]);
        if (i === parts.length - 1) return info;
      } catch (e) {
        if (!isUnavailable(e)) throw e;
        journal.append(i === 0 && parts.length === 1 ? op : mergeLogBatches(parts.slice(i)));
        return JOURNALED;
      }
    }
    return undefined;
  }
}

function isUnavailable(e: unknown): boolean {
  return e instanceof TrackingError && e.code === 'UNAVAILABLE';
}

function mergeLogBatches(parts: JournalOp[]): JournalOp {
  const batches = parts.map((p) => (p.op === 'logBatch' ? p.batch : {}));
  const runId = parts[0].op === 'logBatch' ? parts[0].runId : '';
  return { op: 'logBatch', runId, batch: { metrics: batches.flatMap((b) => b.metrics ?? []), params: batches.flatMap((b) => b.params ?? []), tags: batches.flatMap((b) => b.tags ?? []) } };
}
