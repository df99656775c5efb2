// Reads a case journal as a stream, so a run's end (metrics, results table) and a resume's
// bookkeeping never hold every row at once: the file is read in 1 MB chunks, each record decoded
// and handed on, and only compact per-row state is kept. Same rules as readCaseJournal: a torn or
// corrupt tail ends the journal; a later record for the same row wins.
import fs from 'node:fs';
import { decodeLines, lineChecksumHolds } from '../tracking/local/logFormat';
import type { JournalCase, JournalHeader } from './caseJournal';

const CHUNK = 1 << 20;
const NL = 0x0a;

type Rec = { t: string } & Partial<JournalCase>;

/** Hands each chunk's complete lines to `decode`, which says where the valid prefix ends and whether to stop. */
function scanChunks(file: string, decode: (buf: Buffer) => { validEnd: number; stop?: 'partial' | 'corrupt' }): void {
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
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const { validEnd, stop } = decode(buf);
      if (stop === 'corrupt' || n === 0) return;
      carry = Buffer.from(buf.subarray(validEnd));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `onCase` for every valid case record in file order, with its sequence number (0-based). */
export function forEachJournalCase(file: string, onCase: (rec: JournalCase, seq: number) => void): void {
  let seq = 0;
  scanChunks(file, (buf) => {
    const out = decodeLines<Rec>(buf);
    for (const r of out.values) if (r.t === 'case') onCase(r as JournalCase, seq++);
    return out;
  });
}

// encodeLine writes `<crc> {"t":"case","i":<n>,…`: the row index sits at a fixed place.
const CASE_PREFIX = Buffer.from('{"t":"case","i":', 'latin1');

/**
 * Where a journal's valid records end (where decodeLines stops: a torn or corrupt line), and
 * whether its first record is its header, checked by checksum without parsing the records: a
 * writer reopening a journal of 25,000 cases parsed every one of them for these two facts.
 */
export function journalExtent(file: string): { validEnd: number; hasHeader: boolean } {
  let validEnd = 0;
  let hasHeader = false;
  let first = true;
  // Where the valid lines of one buffer (the carry and a chunk) end, relative to it.
  const validLines = (b: Buffer): { validEnd: number; stop: 'partial' | 'corrupt' } => {
    let pos = 0;
    for (let nl = b.indexOf(NL, pos); nl >= 0; nl = b.indexOf(NL, pos)) {
      if (!lineChecksumHolds(b, pos, nl)) return { validEnd: pos, stop: 'corrupt' };
      if (first) {
        try {
          hasHeader = (JSON.parse(b.toString('utf8', pos + 9, nl)) as { t?: unknown }).t === 'head';
        } catch {
          return { validEnd: pos, stop: 'corrupt' };
        }
        first = false;
      }
      pos = nl + 1;
    }
    return { validEnd: pos, stop: 'partial' };
  };
  scanChunks(file, (b) => {
    const r = validLines(b);
    validEnd += r.validEnd;
    return r;
  });
  return { validEnd, hasHeader };
}

/** Per row index, the sequence number of its latest record (or -1): the records that count. */
export function latestRecords(file: string, totalRows: number): Int32Array {
  const latest = new Int32Array(totalRows).fill(-1);
  let seq = 0;
  // Checksums are checked as in decodeLines (so both passes agree on where the journal ends), but
  // only the row index is read: this pass parses no JSON.
  scanChunks(file, (b) => {
    let pos = 0;
    while (pos < b.length) {
      const nl = b.indexOf(NL, pos);
      if (nl < 0) return { validEnd: pos, stop: 'partial' };
      if (!lineChecksumHolds(b, pos, nl)) return { validEnd: pos, stop: 'corrupt' };
      const json = pos + 9;
      let i = -1;
      if (b.compare(CASE_PREFIX, 0, CASE_PREFIX.length, json, json + CASE_PREFIX.length) === 0) {
        let k = json + CASE_PREFIX.length;
        i = 0;
        while (b[k] >= 0x30 && b[k] <= 0x39) i = i * 10 + (b[k++] - 0x30);
      } else {
        // Not a case in the usual key order: parse it (a header, an end mark, a hand-edited line).
        let r: Rec;
        try {
          r = JSON.parse(b.toString('utf8', json, nl)) as Rec;
        } catch {
          return { validEnd: pos, stop: 'corrupt' };
        }
        if (r.t !== 'case') {
          pos = nl + 1;
          continue;
        }
        i = r.i ?? -1;
      }
      if (i >= 0 && i < totalRows) latest[i] = seq;
      seq++;
      pos = nl + 1;
    }
    return { validEnd: pos };
  });
  return latest;
}

/**
 * The latest record of every row, in file order (not row order), read twice without keeping rows.
 * `latest`: latestRecords of this file when the caller has it already (a resume reads it first).
 */
export function forEachLatestCase(file: string, totalRows: number, onCase: (rec: JournalCase) => void, latest = latestRecords(file, totalRows)): void {
  forEachJournalCase(file, (r, seq) => {
    if (r.i >= 0 && r.i < totalRows && latest[r.i] === seq) onCase(r);
  });
}

/** A journal's header (its first record) without reading the rest; undefined when missing or torn. */
export function readJournalHeader(file: string): JournalHeader | undefined {
  let header: JournalHeader | undefined;
  let first = true;
  scanChunks(file, (buf) => {
    const out = decodeLines<Rec>(buf);
    if (first && out.values.length) {
      const r = out.values[0] as unknown as JournalHeader;
      if (r.t === 'head') header = r;
    }
    first = false;
    // One chunk holds the header line; stop there.
    return { validEnd: out.validEnd, stop: 'corrupt' };
  });
  return header;
}

/** How many distinct rows a journal has a record for, from its latestRecords (no record parsed). */
export function recordedRowCount(latest: Int32Array): number {
  let n = 0;
  for (const seq of latest) if (seq >= 0) n++;
  return n;
}
