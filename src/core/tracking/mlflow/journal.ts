// On-disk journal of run writes (and trace batches) that could not reach the server. Entries are
// delivered in order once it is back, exactly once: delivered ids are recorded before an entry
// file is removed, and should a request have landed although its answer was lost, re-sending it
// changes nothing: MLflow's SQL store ignores identical metrics (key, value, step, timestamp),
// and traces, spans and assessments carry ids derived from the case, which it merges by.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LogBatch, RunStatus, TraceBatch } from '../types';
import type { DatasetInputSpec } from '../traces/datasetInput';

export type JournalOp =
  | { op: 'logBatch'; runId: string; batch: LogBatch }
  | { op: 'setTag'; runId: string; key: string; value: string }
  | { op: 'updateRun'; runId: string; update: { status?: RunStatus; endTime?: number; runName?: string } }
  | ({ op: 'traces' } & TraceBatch)
  | { op: 'datasetInput'; runId: string; dataset: DatasetInputSpec };

export type JournalEntry = JournalOp & { id: string; createdAt: number };

export class Journal {
  private seq = 0;
  private readonly deliveredFile: string;
  private delivered: Set<string> | undefined;

  constructor(readonly dir: string) {
    this.deliveredFile = path.join(dir, 'delivered.log');
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true });
  }

  private loadDelivered(): Set<string> {
    if (!this.delivered) {
      this.delivered = new Set(fs.existsSync(this.deliveredFile) ? fs.readFileSync(this.deliveredFile, 'utf8').split('\n').filter(Boolean) : []);
    }
    return this.delivered;
  }

  /** Appends an entry durably (write to a temp file, fsync, rename). */
  append(op: JournalOp): JournalEntry {
    this.ensureDir();
    const entry: JournalEntry = { ...op, id: randomUUID(), createdAt: Date.now() };
    const name = `${String(Date.now()).padStart(15, '0')}-${String(this.seq++).padStart(6, '0')}-${entry.id}.json`;
    const tmp = path.join(this.dir, `.${name}.tmp`);
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify(entry));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(this.dir, name));
    return entry;
  }

  private files(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
  }

  count(): number {
    return this.files().length;
  }

  /** Pending entries in delivery order, skipping (and removing) ones already delivered. */
  pending(): { entry: JournalEntry; file: string }[] {
    const delivered = this.loadDelivered();
    const out: { entry: JournalEntry; file: string }[] = [];
    for (const f of this.files()) {
      const file = path.join(this.dir, f);
      let entry: JournalEntry;
      try {
        entry = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        // A torn write cannot happen (rename is atomic); anything unreadable is set aside.
        this.setAside(file);
        continue;
      }
      if (delivered.has(entry.id)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      out.push({ entry, file });
    }
    return out;
  }

  markDelivered(entry: JournalEntry, file: string): void {
    fs.appendFileSync(this.deliveredFile, `${entry.id}\n`);
    this.loadDelivered().add(entry.id);
    fs.rmSync(file, { force: true });
    if (this.count() === 0) {
      // Nothing left to guard against; keep the file from growing forever.
      fs.rmSync(this.deliveredFile, { force: true });
      this.delivered = new Set();
    }
  }

  /** Moves an entry the server refused for good (e.g. the run was deleted) to failed/. */
  setAside(file: string): void {
    const failed = path.join(this.dir, 'failed');
    fs.mkdirSync(failed, { recursive: true });
    fs.renameSync(file, path.join(failed, path.basename(file)));
  }
}
