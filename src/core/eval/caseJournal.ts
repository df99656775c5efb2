// The run's case journal: every finished case (output, scores, usage, latency, error) is appended
// as one checksummed JSON line the moment it completes, so a killed run keeps every case it paid
// for and a resume sends only the rest. Same line format as the embedded store's log
// (`<crc32> <json>\n`, local/logFormat.ts); layout and guarantees in local/FORMAT.md ("Case journals").
//
// Durability: each record is one write(2) on an O_APPEND descriptor before `append` returns, so
// a finished case survives the process dying (SIGKILL, crash) from then on, before anything
// downstream (trace sinks, progress) sees it and before its worker starts another call: only the
// calls in flight at a kill are ever sent again. (Writing a turn's records together at the end of
// the turn saved syscalls, but a worker that went on meanwhile could lose a finished, paid-for call
// with the process.) fdatasync runs on libuv's thread pool, batched (every SYNC_EVERY records or
// SYNC_MS), so the event loop never waits for the disk; an OS crash or power loss can lose at most
// that tail, which a resume runs again. A torn last line (killed mid-write) fails its checksum and
// is cut off before the next append.
import fs from 'node:fs';
import path from 'node:path';
import type { TrackingStore } from '../tracking/types';
import { decodeLines, encodeLine } from '../tracking/local/logFormat';
import { acquireFileLock, type FileLock } from '../tracking/local/fileLock';
import { fsyncDir } from '../tracking/local/formatVersion';
import { EMBEDDED_DIR_NAME } from '../tracking/trackingUri';
import type { CaseRow } from './caseRow';
import { journalExtent } from './journalScan';

export const JOURNAL_DIR = 'case-journals';
export const JOURNAL_FILE = 'cases.jsonl';
const SYNC_EVERY = 1024;
const SYNC_MS = 200;

export interface JournalHeader {
  t: 'head';
  v: 1;
  runId: string;
  /** Rows the run has in all: cases × repeat. */
  total: number;
  repeat: number;
  promptHash: string;
  datasetHash: string;
  suiteHash: string;
  model: string;
  createdAt: number;
  /** The dataset check ran and passed when the run began (not --no-validate): a resume need not run it again. */
  checked?: boolean;
}

/**
 * One finished row; `i` = caseIndex × repeat + sample. A later record for the same `i` (retry) wins.
 * `at`: when it was recorded (epoch ms; the case trace's end time); absent in older journals.
 */
export interface JournalCase { t: 'case'; i: number; row: CaseRow; at?: number }
/** Written after the run's results were delivered to the store (metrics, table, final status). */
export interface JournalEnd { t: 'end'; status: string; at: number }
type JournalRecord = JournalHeader | JournalCase | JournalEnd;

/**
 * Where a run's journal lives: with the run in the embedded store (`<store>/case-journals/<runId>/`),
 * and for a server run in the workspace's `.promptledger/case-journals/<runId>/` until delivered.
 */
export function caseJournalPath(store: TrackingStore, workspaceRoot: string, runId: string): string {
  return storeJournalPath(store.kind === 'embedded' ? store.location : path.join(workspaceRoot, EMBEDDED_DIR_NAME), runId);
}

/** A run's journal under a store folder (the embedded store's, or the workspace's for server runs). */
export function storeJournalPath(storeDir: string, runId: string): string {
  return path.join(storeDir, JOURNAL_DIR, runId, JOURNAL_FILE);
}

export interface JournalContents {
  header?: JournalHeader;
  /** Latest row per index. */
  rows: Map<number, CaseRow>;
  /** Results were delivered (an `end` record after the last case). */
  delivered?: JournalEnd;
  /** Byte length of the valid prefix (a torn tail after it is ignored). */
  validEnd: number;
}

/** Reads a journal (missing file: empty). Never throws on a torn tail; stops at the first bad line. */
export function readCaseJournal(file: string): JournalContents {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rows: new Map(), validEnd: 0 };
    throw e;
  }
  const { values, validEnd } = decodeLines<JournalRecord>(buf);
  const out: JournalContents = { rows: new Map(), validEnd };
  for (const r of values) {
    if (r.t === 'head') out.header = r;
    else if (r.t === 'case') {
      out.rows.set(r.i, r.row);
      out.delivered = undefined;
    } else if (r.t === 'end') out.delivered = r;
  }
  return out;
}

/** Rows of a journal in table order (case, then sample). */
export function journalRows(j: JournalContents): CaseRow[] {
  return [...j.rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

export class JournalBusyError extends Error {}

export class CaseJournalWriter {
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** An fdatasync is running on the thread pool (one at a time; more records wait for the next). */
  private syncing = false;

  private constructor(readonly file: string, private fd: number, private readonly lock: FileLock) {}

  /**
   * Opens (creating if needed) a run's journal for appending, under an exclusive lock so two
   * processes never fill the same run. Cuts off a torn tail; writes the header of a new journal.
   */
  static async open(file: string, header: Omit<JournalHeader, 't' | 'v' | 'createdAt'>): Promise<CaseJournalWriter> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let lock: FileLock;
    try {
      lock = await acquireFileLock(`${file}.lock`, { timeoutMs: 1500, maxAgeMs: Number.POSITIVE_INFINITY });
    } catch {
      let who = 'another process';
      try {
        const c = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as { pid: number; host: string };
        who = `pid ${c.pid} on ${c.host}`;
      } catch { /* unreadable: keep the generic name */ }
      throw new JournalBusyError(`run ${header.runId} is being run by ${who} (${file}.lock). Wait for it to end, or stop that process.`);
    }
    try {
      const existing = journalExtent(file);
      const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644);
      if (fs.fstatSync(fd).size > existing.validEnd) {
        fs.ftruncateSync(fd, existing.validEnd);
        fs.fdatasyncSync(fd);
      }
      const w = new CaseJournalWriter(file, fd, lock);
      if (!existing.hasHeader) {
        w.writeNow(encodeLine({ t: 'head', v: 1, ...header, createdAt: Date.now() }));
        w.sync(true);
        fsyncDir(path.dirname(file));
      }
      return w;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private writeNow(text: string): void {
    if (this.closed) throw new Error(`case journal ${this.file} is closed`);
    const line = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < line.length) off += fs.writeSync(this.fd, line, off, line.length - off);
  }

  /** Writes one finished row now (durable against a process kill when this returns); fdatasync follows in the background. */
  append(i: number, row: CaseRow, at = Date.now()): void {
    this.writeNow(encodeLine({ t: 'case', i, row, at } satisfies JournalCase));
    this.pending++;
    if (this.pending >= SYNC_EVERY) this.syncInBackground();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.syncInBackground(), SYNC_MS);
      this.timer.unref();
    }
  }

  /** fdatasync on the thread pool, so the event loop goes on sending and recording meanwhile. */
  private syncInBackground(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.syncing || this.pending === 0) return;
    this.syncing = true;
    const covered = this.pending;
    fs.fdatasync(this.fd, () => {
      // An error here (EBADF after close, which syncs synchronously itself) changes nothing.
      this.syncing = false;
      this.pending = Math.max(0, this.pending - covered);
      if (this.pending >= SYNC_EVERY) this.syncInBackground();
    });
  }

  /** Marks the results delivered to the store (metrics, table and status written). */
  markDelivered(status: string): void {
    this.writeNow(encodeLine({ t: 'end', status, at: Date.now() }));
    this.sync(true);
  }

  /** fdatasync now if anything is unsynced (or `force`). */
  sync(force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || (this.pending === 0 && !force)) return;
    fs.fdatasyncSync(this.fd);
    this.pending = 0;
  }

  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    fs.closeSync(this.fd);
    this.lock.release();
  }
}
