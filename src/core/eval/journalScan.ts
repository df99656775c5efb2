// Reads a case journal as a stream, so a run's end (metrics, results table) and a resume's
// bookkeeping never hold every row at once: the file is read in 1 MB chunks, each record decoded
// and handed on, and only compact per-row state is kept. Same rules as readCaseJournal: a torn or
// corrupt tail ends the journal; a later record for the same row wins.
import fs from 'node:fs';
import { decodeLines } from '../tracking/local/logFormat';
import type { JournalCase } from './caseJournal';

const CHUNK = 1 << 20;

type Rec = { t: string } & Partial<JournalCase>;

/** Calls `onCase` for every valid case record in file order, with its sequence number (0-based). */
export function forEachJournalCase(file: string, onCase: (rec: JournalCase, seq: number) => void): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    let carry = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(CHUNK);
    let seq = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const { values, validEnd, stop } = decodeLines<Rec>(buf);
      for (const r of values) if (r.t === 'case') onCase(r as JournalCase, seq++);
      if (stop === 'corrupt' || n === 0) return;
      carry = Buffer.from(buf.subarray(validEnd));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Per row index, the sequence number of its latest record (or -1): the records that count. */
export function latestRecords(file: string, totalRows: number): Int32Array {
  const latest = new Int32Array(totalRows).fill(-1);
  forEachJournalCase(file, (r, seq) => {
    if (r.i >= 0 && r.i < totalRows) latest[r.i] = seq;
  });
  return latest;
}

/** The latest record of every row, in file order (not row order), read twice without keeping rows. */
export function forEachLatestCase(file: string, totalRows: number, onCase: (rec: JournalCase) => void): void {
  const latest = latestRecords(file, totalRows);
  forEachJournalCase(file, (r, seq) => {
    if (r.i >= 0 && r.i < totalRows && latest[r.i] === seq) onCase(r);
  });
}
