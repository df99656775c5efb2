// The durable half of the embedded store: manifest + snapshot + append-only log on disk, replayed
// into a StoreState. Writers append one checksummed line per API call and fdatasync before the call
// returns, under a cross-process lock; every process catches up by reading the log from its last
// offset, so two processes see each other's writes. Compaction folds the log into a new snapshot.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TrackingError } from '../types';
import { acquireFileLock } from './fileLock';
import { CURRENT_FORMAT_VERSION, FORMAT_NAME, checkVersion, fsyncDir, manifestPath, migrateForward, readManifest, writeManifest, type Manifest } from './formatVersion';
import { decodeLines, encodeLine } from './logFormat';
import type { LogRecord } from './logRecords';
import { DEFAULT_EXPERIMENT_ID, StoreState } from './storeState';

export interface LogStoreOptions {
  /** Compact when the log exceeds this many bytes and is larger than twice the snapshot. Default 16 MiB. */
  compactBytes?: number;
  lockTimeoutMs?: number;
}

type SnapshotLine = LogRecord | { t: 'snap.end'; count: number };

export const snapshotFile = (dir: string, g: number) => path.join(dir, `snapshot-${g}.jsonl`);
export const logFile = (dir: string, g: number) => path.join(dir, `log-${g}.jsonl`);
export const lockFile = (dir: string) => path.join(dir, 'write.lock');

/**
 * What a write decides from the current state: the record to append (none: nothing to change),
 * and either a result known before applying it or `applied`, read from the state after it.
 */
export type WriteStep<T> = { record?: LogRecord } & ({ result: T } | { applied: (state: StoreState) => T });

export class LogStore {
  state = new StoreState();
  /** From the manifest; stable for the life of the store folder. */
  storeId = '';
  private generation = -1;
  private fd = -1;
  /** Bytes of the current log already applied to `state`. */
  private offset = 0;
  private snapshotBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(readonly dir: string, private readonly opts: LogStoreOptions) {}

  static async open(dir: string, opts: LogStoreOptions = {}): Promise<LogStore> {
    fs.mkdirSync(dir, { recursive: true });
    const store = new LogStore(dir, opts);
    let m = readManifest(dir);
    if (!m || m.formatVersion < CURRENT_FORMAT_VERSION || hasLeftovers(dir, m.generation)) {
      // Create, migrate or clean up under the lock, so two processes opening at once agree.
      const lock = await acquireFileLock(lockFile(dir), { timeoutMs: opts.lockTimeoutMs });
      try {
        m = readManifest(dir);
        if (!m) m = initialize(dir);
        checkVersion(dir, m);
        m = migrateForward(dir, m);
        removeLeftovers(dir, m.generation);
      } finally {
        lock.release();
      }
    }
    checkVersion(dir, m);
    store.load(m);
    return store;
  }

  /** Applies whatever other processes appended since the last call. Cheap when nothing changed (one fstat). */
  catchUp(): void {
    this.assertOpen();
    const st = fs.fstatSync(this.fd);
    if (st.nlink === 0 || this.manifestChanged()) {
      // Our log was compacted away by another process: reload from the new snapshot.
      this.reload();
      return;
    }
    if (st.size > this.offset) this.readFrom(st.size, false);
  }

  /**
   * Runs `fn` against the caught-up state while holding the write lock; appends and fsyncs the record it
   * returns, then applies it. `fn` validates and throws TrackingError to refuse (nothing is written).
   */
  write<T>(fn: (state: StoreState) => WriteStep<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.assertOpen();
      const lock = await acquireFileLock(lockFile(this.dir), { timeoutMs: this.opts.lockTimeoutMs });
      try {
        this.catchUpForWrite();
        const step = fn(this.state);
        if (step.record) {
          this.append(step.record);
          this.state.apply(step.record);
          this.maybeCompact();
        }
        // The applied entity is read under the same lock, so it is exactly what this write made.
        return 'applied' in step ? step.applied(this.state) : step.result;
      } finally {
        lock.release();
      }
    };
    // Serialize writers within this process too; the file lock serializes across processes.
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Folds the log into a new snapshot now (also happens automatically as the log grows). */
  compact(): Promise<void> {
    return this.write(() => {
      this.compactLocked();
      return { result: undefined };
    });
  }

  get logBytes(): number {
    return this.offset;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new TrackingError('INTERNAL_ERROR', `The embedded store at ${this.dir} is closed.`);
  }

  /** Loads generation m; if a compaction in another process removed its files meanwhile, follows the manifest. */
  private load(m: Manifest): void {
    for (let attempt = 0; ; attempt++) {
      try {
        this.loadGeneration(m);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 20) throw e;
        const again = readManifest(this.dir);
        if (!again) throw e;
        checkVersion(this.dir, again);
        m = again;
      }
    }
  }

  private loadGeneration(m: Manifest): void {
    this.state = new StoreState();
    this.storeId = m.storeId ?? `created-${m.createdAt}`;
    this.generation = m.generation;
    this.snapshotBytes = 0;
    const snap = snapshotFile(this.dir, m.generation);
    if (m.generation > 0) {
      const buf = fs.readFileSync(snap);
      this.snapshotBytes = buf.length;
      const { values, stop } = decodeLines<SnapshotLine>(buf);
      const end = values[values.length - 1];
      // Snapshots are renamed into place only when complete, so a bad one means the disk changed under us.
      if (stop || !end || end.t !== 'snap.end' || end.count !== values.length - 1) {
        throw new TrackingError('INTERNAL_ERROR', `${snap} is damaged (incomplete or bad checksum). Restore the folder from a backup.`);
      }
      for (let i = 0; i < values.length - 1; i++) this.state.apply(values[i] as LogRecord);
    }
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    // 'r+', not 'a+': never create a log file that compaction just removed (that would fork the store).
    this.fd = fs.openSync(logFile(this.dir, m.generation), 'r+');
    this.offset = 0;
    this.readFrom(fs.fstatSync(this.fd).size, false);
    try {
      const st = fs.statSync(manifestPath(this.dir));
      this.manifestSig = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      this.manifestSig = '';
    }
  }

  /** The manifest is replaced (new inode) only by compaction or migration. Also covers platforms where
   *  an open log cannot be unlinked (Windows), and a compaction killed before it removed the old log. */
  private manifestChanged(): boolean {
    try {
      const st = fs.statSync(manifestPath(this.dir));
      const sig = `${st.ino}:${st.mtimeMs}:${st.size}`;
      if (this.manifestSig === sig) return false;
      this.manifestSig = sig;
      return readManifest(this.dir)?.generation !== this.generation;
    } catch {
      return false;
    }
  }

  private manifestSig = '';

  private reload(): void {
    const m = readManifest(this.dir);
    if (!m) throw new TrackingError('INTERNAL_ERROR', `The manifest of the embedded store at ${this.dir} disappeared.`);
    checkVersion(this.dir, m);
    this.load(m);
  }

  /** Reads [offset, size) and applies the complete, valid records. A writer (holding the lock) cuts off a torn tail. */
  private readFrom(size: number, truncateTail: boolean): void {
    const len = size - this.offset;
    if (len <= 0) return;
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, this.offset + got);
      if (n === 0) break;
      got += n;
    }
    const { values, validEnd, stop } = decodeLines<LogRecord>(buf.subarray(0, got));
    for (const r of values) this.state.apply(r);
    this.offset += validEnd;
    if (stop && truncateTail) {
      // Left by a writer killed mid-append: never acknowledged, so dropping it loses nothing.
      fs.ftruncateSync(this.fd, this.offset);
      fs.fdatasyncSync(this.fd);
    }
  }

  private catchUpForWrite(): void {
    const m = readManifest(this.dir);
    if (!m) throw new TrackingError('INTERNAL_ERROR', `The manifest of the embedded store at ${this.dir} disappeared.`);
    if (m.generation !== this.generation || fs.fstatSync(this.fd).nlink === 0) {
      checkVersion(this.dir, m);
      this.load(m);
    }
    this.readFrom(fs.fstatSync(this.fd).size, true);
  }

  private append(record: LogRecord): void {
    const buf = Buffer.from(encodeLine(record), 'utf8');
    try {
      let written = 0;
      // Positional write at the end we caught up to (the lock guarantees nobody else appends meanwhile).
      while (written < buf.length) written += fs.writeSync(this.fd, buf, written, buf.length - written, this.offset + written);
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      try { fs.ftruncateSync(this.fd, this.offset); } catch { /* the next writer truncates it */ }
      throw new TrackingError('INTERNAL_ERROR', `Could not write to ${logFile(this.dir, this.generation)}: ${(e as Error).message}`);
    }
    this.offset += buf.length;
  }

  private maybeCompact(): void {
    const limit = this.opts.compactBytes ?? 16 * 1024 * 1024;
    if (this.offset > limit && this.offset > 2 * this.snapshotBytes) this.compactLocked();
  }

  /** Caller holds the lock and has caught up. Crash-safe: the manifest switch is the commit point. */
  private compactLocked(): void {
    const next = this.generation + 1;
    const snap = snapshotFile(this.dir, next);
    const tmp = `${snap}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let count = 0;
    let bytes = 0;
    try {
      let chunk: string[] = [];
      let chunkLen = 0;
      const flush = () => {
        const b = Buffer.from(chunk.join(''), 'utf8');
        fs.writeSync(fd, b);
        bytes += b.length;
        chunk = [];
        chunkLen = 0;
      };
      for (const r of this.state.snapshotRecords()) {
        const line = encodeLine(r);
        chunk.push(line);
        chunkLen += line.length;
        count++;
        if (chunkLen > 1 << 20) flush();
      }
      chunk.push(encodeLine({ t: 'snap.end', count }));
      flush();
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, snap);
    const log = logFile(this.dir, next);
    fs.closeSync(fs.openSync(log, 'w'));
    fsyncDir(this.dir);
    const m = readManifest(this.dir)!;
    writeManifest(this.dir, { ...m, generation: next });
    const old = this.generation;
    fs.closeSync(this.fd);
    this.fd = fs.openSync(log, 'r+');
    this.generation = next;
    this.offset = 0;
    this.snapshotBytes = bytes;
    try {
      removeGeneration(this.dir, old);
    } catch {
      // Another process still has it open where that prevents deletion (Windows): the next open cleans up.
    }
  }
}

function initialize(dir: string): Manifest {
  const now = Date.now();
  const m: Manifest = { format: FORMAT_NAME, formatVersion: CURRENT_FORMAT_VERSION, generation: 0, createdAt: now, storeId: crypto.randomUUID().replace(/-/g, '') };
  // The log starts with the Default experiment, id "0", as every MLflow store has.
  const first: LogRecord = { t: 'exp.create', id: DEFAULT_EXPERIMENT_ID, name: 'Default', tags: [], time: now };
  const log = logFile(dir, 0);
  const fd = fs.openSync(log, 'w');
  try {
    fs.writeSync(fd, encodeLine(first));
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  writeManifest(dir, m);
  return m;
}

const GENERATION_FILE = /^(snapshot|log)-(\d+)\.jsonl(\.tmp)?$/;

function hasLeftovers(dir: string, generation: number): boolean {
  return fs.readdirSync(dir).some((f) => {
    const m = GENERATION_FILE.exec(f);
    return m !== null && (Number(m[2]) !== generation || m[3] !== undefined);
  });
}

/** Files of older generations (a compaction killed after its manifest switch) and abandoned temp files. */
function removeLeftovers(dir: string, generation: number): void {
  for (const f of fs.readdirSync(dir)) {
    const m = GENERATION_FILE.exec(f);
    if (m && (Number(m[2]) !== generation || m[3] !== undefined)) fs.rmSync(path.join(dir, f), { force: true });
  }
}

function removeGeneration(dir: string, g: number): void {
  fs.rmSync(logFile(dir, g), { force: true });
  fs.rmSync(snapshotFile(dir, g), { force: true });
}
