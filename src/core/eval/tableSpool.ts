// The results table of a big run, put together without holding its rows as JavaScript strings:
// each row's serialized cells go to a temporary file as the journal is read (in journal order,
// which is not row order), with where it landed (12 bytes a row); `assemble` then copies them in
// row order into one Buffer, the artifact's bytes. At 50,000 rows the run's end used to hold every
// row's string, then their join (two copies of the table on the V8 heap at the run's peak).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FLUSH_BYTES = 1 << 20;

export class TableSpool {
  private readonly dir: string;
  private readonly fd: number;
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;
  private written = 0;
  /** Rows not yet on disk, written straight into one buffer (no Buffer object per row). */
  private readonly pending = Buffer.allocUnsafe(FLUSH_BYTES);
  private pendingBytes = 0;
  private dataBytes = 0;
  private rows = 0;

  constructor(totalRows: number) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-table-'));
    this.fd = fs.openSync(path.join(this.dir, 'rows'), 'w+');
    this.offsets = new Float64Array(totalRows);
    this.lengths = new Uint32Array(totalRows);
  }

  /** Row `i`'s cells as JSON (one call per row). */
  add(i: number, cellsJson: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: with that much room the write cannot be cut short.
    if (cellsJson.length * 3 > FLUSH_BYTES - this.pendingBytes) this.flush();
    const at = this.written + this.pendingBytes;
    let len: number;
    if (cellsJson.length * 3 <= FLUSH_BYTES) {
      len = this.pending.write(cellsJson, this.pendingBytes, 'utf8');
      this.pendingBytes += len;
    } else {
      // A row bigger than the buffer goes to the file by itself.
      const b = Buffer.from(cellsJson, 'utf8');
      this.writeAt(b, b.length, at);
      this.written += b.length;
      len = b.length;
    }
    if (this.lengths[i] === 0) this.rows++;
    else this.dataBytes -= this.lengths[i];
    this.offsets[i] = at;
    this.lengths[i] = len;
    this.dataBytes += len;
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    this.writeAt(this.pending, this.pendingBytes, this.written);
    this.written += this.pendingBytes;
    this.pendingBytes = 0;
  }

  private writeAt(b: Buffer, length: number, position: number): void {
    let off = 0;
    while (off < length) off += fs.writeSync(this.fd, b, off, length - off, position + off);
  }

  /** `prefix`, the rows in row order joined by commas, `suffix`: one Buffer. */
  assemble(prefix: string, suffix: string): Buffer {
    this.flush();
    const pre = Buffer.from(prefix, 'utf8');
    const post = Buffer.from(suffix, 'utf8');
    const out = Buffer.allocUnsafe(pre.length + this.dataBytes + Math.max(0, this.rows - 1) + post.length);
    let pos = pre.copy(out, 0);
    let first = true;
    for (let i = 0; i < this.lengths.length; i++) {
      const len = this.lengths[i];
      if (len === 0) continue;
      if (!first) out[pos++] = 0x2c; // ','
      first = false;
      let got = 0;
      while (got < len) {
        const n = fs.readSync(this.fd, out, pos + got, len - got, this.offsets[i] + got);
        if (n === 0) throw new Error(`results table spool ${this.dir} is short at row ${i}`);
        got += n;
      }
      pos += len;
    }
    post.copy(out, pos);
    return out;
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
