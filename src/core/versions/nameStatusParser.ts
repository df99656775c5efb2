/**
 * Streaming parser for `git log -z --name-status --format=<\x01 + fields joined by %x00>` and
 * `git diff-tree --stdin -z --name-status --format=...` output.
 *
 * With -z every field, status and path is a NUL-terminated token. A record header is the token
 * that starts with \x01 followed by (fieldCount - 1) more tokens; after it come the changes:
 * a status token (`M`, `A`, `D`, `T`, `R100`, `C075`; git puts a newline before the first one)
 * and one path, or two for renames and copies (old, new).
 */

export interface FileChange {
  /** One letter: A, C, D, M, R, T, U, X. */
  status: string;
  /** Path after the change (the new name for renames and copies). */
  path: string;
  /** Path before a rename or copy. */
  oldPath?: string;
}

export interface NameStatusRecord {
  fields: string[];
  changes: FileChange[];
}

export const RECORD_MARK = '\x01';

/** Splits a byte stream into NUL-terminated UTF-8 tokens, across chunk boundaries. */
export class NulTokenizer {
  private rest: Buffer | undefined;

  constructor(private readonly onToken: (token: string) => void) {}

  push(chunk: Buffer): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nul = buf.indexOf(0, start);
      if (nul < 0) break;
      this.onToken(buf.toString('utf8', start, nul));
      start = nul + 1;
    }
    this.rest = start < buf.length ? buf.subarray(start) : undefined;
  }

  /** Flushes a final token that had no terminating NUL. */
  end(): void {
    if (this.rest && this.rest.length) this.onToken(this.rest.toString('utf8'));
    this.rest = undefined;
  }
}

export class NameStatusParser {
  private readonly tokenizer: NulTokenizer;
  private current: NameStatusRecord | undefined;
  private headerLeft = 0;
  private status: string | undefined;
  private pathsLeft = 0;
  private oldPath: string | undefined;

  constructor(private readonly fieldCount: number, private readonly onRecord: (r: NameStatusRecord) => void) {
    this.tokenizer = new NulTokenizer((t) => this.token(t));
  }

  push(chunk: Buffer): void {
    this.tokenizer.push(chunk);
  }

  end(): void {
    this.tokenizer.end();
    this.flush();
  }

  private flush(): void {
    if (this.current) this.onRecord(this.current);
    this.current = undefined;
  }

  private token(raw: string): void {
    if (this.headerLeft > 0) {
      this.current!.fields.push(raw);
      this.headerLeft--;
      return;
    }
    if (this.pathsLeft > 0) {
      this.pathsLeft--;
      if (this.pathsLeft === 1) {
        this.oldPath = raw;
      } else {
        this.current?.changes.push(this.oldPath === undefined
          ? { status: this.status!, path: raw }
          : { status: this.status!, path: raw, oldPath: this.oldPath });
        this.oldPath = undefined;
      }
      return;
    }
    const t = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (t.startsWith(RECORD_MARK)) {
      this.flush();
      this.current = { fields: [t.slice(1)], changes: [] };
      this.headerLeft = this.fieldCount - 1;
      return;
    }
    if (t === '') return; // the separator git may leave between records
    this.status = t[0];
    this.pathsLeft = t[0] === 'R' || t[0] === 'C' ? 2 : 1;
  }
}

/** Parses a whole captured output at once (tests, small outputs). */
export function parseNameStatus(output: string | Buffer, fieldCount: number): NameStatusRecord[] {
  const records: NameStatusRecord[] = [];
  const parser = new NameStatusParser(fieldCount, (r) => records.push(r));
  parser.push(typeof output === 'string' ? Buffer.from(output, 'utf8') : output);
  parser.end();
  return records;
}
