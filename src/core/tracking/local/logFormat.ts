// Line format of the log and snapshot files: `<crc32 hex of json> <json>\n`.
// JSON.stringify never emits a raw newline, so a line is complete exactly when its '\n' is there;
// the checksum rejects a line a crash left half-written or garbled (e.g. zero-filled after power loss).
import { crc32Hex, crc32HexOfText } from './crc32';

const NL = 0x0a;
const SP = 0x20;

export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${crc32HexOfText(json)} ${json}\n`;
}

export interface DecodedLines<T> {
  values: T[];
  /** Byte offset (relative to the buffer) just after the last valid line. */
  validEnd: number;
  /** Why decoding stopped before the end of the buffer, if it did. */
  stop?: 'partial' | 'corrupt';
}

/**
 * Decodes complete, valid lines from `buf`. Stops at the first line without a newline ('partial':
 * a write in progress or torn by a crash) or with a bad checksum/JSON ('corrupt'). Everything
 * from validEnd on is not part of the log.
 */
export function decodeLines<T = unknown>(buf: Uint8Array): DecodedLines<T> {
  const values: T[] = [];
  let pos = 0;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  while (pos < b.length) {
    const nl = b.indexOf(NL, pos);
    if (nl < 0) return { values, validEnd: pos, stop: 'partial' };
    const value = decodeOne<T>(b, pos, nl);
    if (value === undefined) return { values, validEnd: pos, stop: 'corrupt' };
    values.push(value);
    pos = nl + 1;
  }
  return { values, validEnd: pos };
}

/** The line b[start, end) (without its newline) is `<crc> <json>` with the checksum of its JSON. */
export function lineChecksumHolds(b: Buffer, start: number, end: number): boolean {
  return end - start >= 10 && b[start + 8] === SP && crc32Hex(b, start + 9, end) === b.toString('latin1', start, start + 8);
}

function decodeOne<T>(b: Buffer, start: number, end: number): T | undefined {
  if (!lineChecksumHolds(b, start, end)) return undefined;
  try {
    return JSON.parse(b.toString('utf8', start + 9, end)) as T;
  } catch {
    return undefined;
  }
}
