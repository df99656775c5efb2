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

/**
 * The row index of the record whose JSON starts at b[json] and ends at b[nl]: read from its fixed
 * place without parsing when it is a case in the usual key order. -1: not a case record (a header,
 * an end mark); -2: a case record without a row index (it takes a sequence number, names no row);
 * undefined: not JSON (the journal ends there).
 */
function caseIndexAt(b: Buffer, json: number, nl: number): number | undefined {
  if (b.compare(CASE_PREFIX, 0, CASE_PREFIX.length, json, json + CASE_PREFIX.length) === 0) {
    let k = json + CASE_PREFIX.length;
    let i = 0;
    while (b[k] >= 0x30 && b[k] <= 0x39) i = i * 10 + (b[k++] - 0x30);
    return i;
  }
  // Not a case in the usual key order: parse it (a header, an end mark, a hand-edited line).
  let r: Rec;
  try {
    r = JSON.parse(b.toString('utf8', json, nl)) as Rec;
  } catch {
    return undefined;
  }
  return r.t === 'case' ? r.i ?? -2 : -1;
}

/**
 * Walks a journal's case records in file order: `onCase(b, start, nl, i, seq)` for each, with the
 * line b[start, nl), its row index (caseIndexAt) and its sequence number (0-based, case records
 * only). A line that is not JSON ends the walk, as does one whose checksum fails (with
 * `checksums`), or `onCase` answering false.
 */
function walkCaseLines(file: string, checksums: boolean, onCase: (b: Buffer, start: number, nl: number, i: number, seq: number) => boolean | void): void {
  let seq = 0;
  scanChunks(file, (b) => {
    let pos = 0;
    while (pos < b.length) {
      const nl = b.indexOf(NL, pos);
      if (nl < 0) return { validEnd: pos, stop: 'partial' };
      if (checksums && !lineChecksumHolds(b, pos, nl)) return { validEnd: pos, stop: 'corrupt' };
      const i = caseIndexAt(b, pos + 9, nl);
      if (i === undefined || (i !== -1 && onCase(b, pos, nl, i, seq++) === false)) return { validEnd: pos, stop: 'corrupt' };
      pos = nl + 1;
    }
    return { validEnd: pos };
  });
}

/** Per row index, the sequence number of its latest record (or -1): the records that count. */
export function latestRecords(file: string, totalRows: number): Int32Array {
  const latest = new Int32Array(totalRows).fill(-1);
  // Checksums are checked as in decodeLines (so both agree on where the journal ends), but only
  // the row index is read: this pass parses no JSON.
  walkCaseLines(file, true, (_b, _start, _nl, i, seq) => {
    if (i >= 0 && i < totalRows) latest[i] = seq;
  });
  return latest;
}

/**
 * The latest record of every row, in file order (not row order), without keeping rows: the
 * latestRecords pass (checksums, no JSON), then one that parses only the records it names.
 * `latest`: latestRecords of this file when the caller has it already (a resume reads it first).
 * The second pass checks no checksum: the first ended at the first bad line, so no record at or
 * after it has a sequence number the index holds, and a line that is not JSON ends this pass too.
 */
export function forEachLatestCase(file: string, totalRows: number, onCase: (rec: JournalCase) => void, latest = latestRecords(file, totalRows)): void {
  walkCaseLines(file, false, (b, start, nl, i, seq) => {
    if (!(i >= 0 && i < totalRows && latest[i] === seq)) return true;
    let r: JournalCase;
    try {
      r = JSON.parse(b.toString('utf8', start + 9, nl)) as JournalCase;
    } catch {
      return false;
    }
    onCase(r);
    return true;
  });
}

/** A journal's header (its first record) without reading the rest; undefined when missing or torn. */
export function readJournalHeader(file: string): JournalHeader | undefined {
  let header: JournalHeader | undefined;
  scanChunks(file, (buf) => {
    // One chunk holds the header line: decode that line only (the chunk holds ~1,700 more).
    const nl = buf.indexOf(NL);
    const out = decodeLines<Rec>(nl < 0 ? buf : buf.subarray(0, nl + 1));
    const r = out.values[0] as unknown as JournalHeader | undefined;
    if (r?.t === 'head') header = r;
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
