// A run's dataset file, read as a stream: one pass (1 MB chunks for JSONL, csv-parse's streaming
// parser for CSV) hashes the bytes, checks every row's shape (errors at file:line), and keeps only
// where each case starts (12 bytes a case) plus what the run needs to know of all of them
// (CaseSummary). A case is read back from disk when it is needed (FileCaseList.at), through a
// read-ahead window, so the runner's in-order reads cost one read(2) per 256 KB and memory does not
// grow with the number of cases.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { EvalSuiteError, type Diagnostic } from './diagnostics';
import type { LoadedSuite } from './suiteLoader';
import {
  CaseSummary, CSV_OPTIONS, csvCase, csvError, csvRowLine, datasetFormat, inlineDataset, jsonlLineCase, loadDatasetFile, MAX_DIAGNOSTICS, sha256,
  toCheckedCase, unsupportedFormat, type CaseList, type EvalCase, type LoadedDataset,
} from './dataset';

const CHUNK = 1 << 20;
const WINDOW = 256 << 10;
const NL = 0x0a;

/** Growable start offsets, byte lengths and 1-based lines of the cases, in order. */
class CaseIndex {
  starts = new Float64Array(1024);
  lengths = new Uint32Array(1024);
  lines = new Uint32Array(1024);
  length = 0;

  push(start: number, length: number, line: number): void {
    if (this.length === this.starts.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.lines = grow(this.lines);
    }
    this.starts[this.length] = start;
    this.lengths[this.length] = length;
    this.lines[this.length] = line;
    this.length++;
  }
}

/** Reads byte ranges of a file through one read-ahead window; refuses a file that changed meanwhile. */
class WindowReader {
  private buf = Buffer.alloc(0);
  private from = 0;

  constructor(private readonly file: string, private readonly size: number, private readonly mtimeMs: number) {}

  read(start: number, length: number): Buffer {
    if (start < this.from || start + length > this.from + this.buf.length) this.fill(start, Math.max(WINDOW, length));
    return this.buf.subarray(start - this.from, start - this.from + length);
  }

  private fill(start: number, length: number): void {
    const fd = fs.openSync(this.file, 'r');
    try {
      const st = fs.fstatSync(fd);
      if (st.size !== this.size || st.mtimeMs !== this.mtimeMs) {
        throw new EvalSuiteError(this.file, [{ file: this.file, line: 1, column: 1, severity: 'error', message: 'the dataset changed on disk during the run', hint: 'save the dataset before starting a run, then run (or resume with --force-new) again' }]);
      }
      const buf = Buffer.allocUnsafe(Math.min(length, this.size - start));
      let n = 0;
      while (n < buf.length) {
        const got = fs.readSync(fd, buf, n, buf.length - n, start + n);
        if (got === 0) break;
        n += got;
      }
      this.buf = buf.subarray(0, n);
      this.from = start;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The cases of a streamed file: each `at` parses its record from disk again (no case is kept). */
export class FileCaseList implements CaseList {
  private readonly reader: WindowReader;

  constructor(
    readonly file: string,
    private readonly format: 'jsonl' | 'csv',
    private readonly index: CaseIndex,
    stat: { size: number; mtimeMs: number },
    private readonly header?: string[],
  ) {
    this.reader = new WindowReader(file, stat.size, stat.mtimeMs);
  }

  get length(): number { return this.index.length; }

  at(i: number): EvalCase | undefined {
    if (!(i >= 0 && i < this.index.length)) return undefined;
    const text = this.recordText(i);
    const line = this.index.lines[i];
    if (this.format === 'jsonl') return toCheckedCase(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>, i, this.file, line);
    // The first record's bytes start at the file's start, header included.
    const rows = (i === 0 ? parseCsv(text, { ...CSV_OPTIONS, info: false, raw: false }) : parseCsv(text, { ...CSV_OPTIONS, info: false, raw: false, bom: false, columns: this.header })) as Record<string, string>[];
    return csvCase(rows[0], i, this.file, line);
  }

  /** The record's text as it is in the file (a CSV row may span lines). */
  recordText(i: number): string {
    return this.reader.read(this.index.starts[i], this.index.lengths[i]).toString('utf8');
  }

  /** The source text of `line`, when it is the first line of case `caseIndex` (else the file's first line for line 1). */
  lineText(line: number, caseIndex?: number): string | undefined {
    if (caseIndex !== undefined && this.index.lines[caseIndex] === line && !(this.format === 'csv' && caseIndex === 0)) {
      return this.recordText(caseIndex).split(/\r?\n/)[0];
    }
    if (line !== 1) return undefined;
    const first = this.reader.read(0, Math.min(this.index.lengths[0] ?? 0, 64 << 10)).toString('utf8');
    return first.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  }

  *[Symbol.iterator](): Iterator<EvalCase> {
    for (let i = 0; i < this.index.length; i++) yield this.at(i)!;
  }
}

/** Sees every case of a dataset once, in order, as it is read (the run's dataset check). */
export type CaseVisitor = (c: EvalCase) => void;

/** A run's cases: the suite's inline list, or its dataset file streamed. */
export async function openSuiteDataset(suite: LoadedSuite, onCase?: CaseVisitor): Promise<LoadedDataset> {
  if (suite.inlineCases) return visitAll(inlineDataset(suite.inlineCases), onCase);
  return openDatasetFile(suite.datasetPath!, suite.datasetLimit, onCase);
}

/** The format openSuiteDataset reads the suite's cases in (an unsupported file fails there). */
export function suiteDatasetFormat(suite: LoadedSuite): LoadedDataset['format'] {
  return suite.inlineCases ? 'inline' : datasetFormat(suite.datasetPath!) ?? 'jsonl';
}

function visitAll(dataset: LoadedDataset, onCase?: CaseVisitor): LoadedDataset {
  if (onCase) for (const c of dataset.cases) onCase(c);
  return dataset;
}

/**
 * Opens a dataset file for a run: JSONL and CSV are streamed (see above); a .json array is parsed
 * whole (it cannot be read a case at a time). Errors are EvalSuiteError with the file's lines.
 * `onCase` gets each case as the pass over the file parses it, so a caller that needs every case
 * once does not read the file back.
 */
export async function openDatasetFile(file: string, limit?: number, onCase?: CaseVisitor): Promise<LoadedDataset> {
  const format = datasetFormat(file);
  if (!format) throw unsupportedFormat(file);
  if (format === 'json') return visitAll(loadDatasetFile(file, limit), onCase);
  const stat = fs.statSync(file);
  const max = limit ?? Number.POSITIVE_INFINITY;
  const summary = new CaseSummary();
  const { index, hash, header } = format === 'jsonl' ? await indexJsonl(file, max, summary, onCase) : await indexCsv(file, max, summary, onCase);
  const cases = new FileCaseList(file, format, index, stat, header);
  return {
    cases, hash, path: file, fileName: path.basename(file), format,
    snapshot: () => {
      const raw = fs.readFileSync(file);
      if (sha256(raw) !== hash) throw new EvalSuiteError(file, [{ file, line: 1, column: 1, severity: 'error', message: 'the dataset changed on disk during the run', hint: 'save the dataset before starting a run, then run it again' }]);
      return raw;
    },
    variables: summary.variables, hasExpectations: summary.hasExpectations, caseAsserts: summary.caseAsserts,
  };
}

/** One pass over a JSONL file: hash, per-line check, and each case's byte range. */
async function indexJsonl(file: string, max: number, summary: CaseSummary, onCase?: CaseVisitor): Promise<{ index: CaseIndex; hash: string; header?: undefined }> {
  const hasher = createHash('sha256');
  const index = new CaseIndex();
  const diags: Diagnostic[] = [];
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0; // file offset of carry[0]
  let lineNo = 0;
  const onLine = (buf: Buffer, from: number, to: number, fileOffset: number) => {
    lineNo++;
    if (index.length >= max || diags.length >= MAX_DIAGNOSTICS) return;
    const end = to > from && buf[to - 1] === 0x0d ? to - 1 : to;
    const c = jsonlLineCase(buf.toString('utf8', from, end), lineNo, index.length, file, diags);
    if (!c) return;
    summary.add(c);
    index.push(fileOffset, end - from, lineNo);
    onCase?.(c);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hasher.update(chunk);
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (let nl = buf.indexOf(NL, pos); nl >= 0; nl = buf.indexOf(NL, pos)) {
      onLine(buf, pos, nl, carryStart + pos);
      pos = nl + 1;
    }
    carry = Buffer.from(buf.subarray(pos));
    carryStart += pos;
  }
  if (carry.length) onLine(carry, 0, carry.length, carryStart);
  if (diags.length) throw new EvalSuiteError(file, diags);
  return { index, hash: hasher.digest('hex') };
}

/** One pass over a CSV file with csv-parse's streaming parser: hash, and each row's byte range. */
async function indexCsv(file: string, max: number, summary: CaseSummary, onCase?: CaseVisitor): Promise<{ index: CaseIndex; hash: string; header?: string[] }> {
  const hasher = createHash('sha256');
  const index = new CaseIndex();
  let header: string[] | undefined;
  const parser = parseCsvStream({
    ...CSV_OPTIONS,
    columns: (names: string[]) => {
      header = names;
      return names;
    },
  });
  const input = fs.createReadStream(file, { highWaterMark: CHUNK });
  input.on('data', (chunk) => hasher.update(chunk as Buffer));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let end = 0; // csv-parse's info.bytes: where the previous row (with its delimiter) ended
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number }; raw: string }>) {
      const start = index.length === 0 ? 0 : end;
      if (index.length < max) {
        const c = csvCase(record, index.length, file, csvRowLine(info, raw));
        summary.add(c);
        index.push(start, info.bytes - start, c.source.line);
        onCase?.(c);
      }
      end = info.bytes;
    }
  } catch (err) {
    input.destroy();
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw csvError(file, err);
  }
  return { index, hash: hasher.digest('hex'), header };
}
