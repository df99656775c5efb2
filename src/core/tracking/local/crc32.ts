// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), to detect torn or corrupted log lines. node:zlib's
// own crc32 (Node 20.15+, 22.2+; ~10× faster, and it takes a string as its UTF-8 bytes) when the
// runtime has it, else plain JS: the bundle also runs on older Node 20 builds and Electron.
import zlib from 'node:zlib';

type NativeCrc32 = (data: string | Uint8Array, value?: number) => number;
const native = (zlib as unknown as { crc32?: NativeCrc32 }).crc32;
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native) return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0;
  return jsCrc32(bytes, start, end);
}

/** The plain-JS CRC (exported for the test that checks it against the native one). */
export function jsCrc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function crc32Hex(bytes: Uint8Array, start?: number, end?: number): string {
  return hex(crc32(bytes, start, end));
}

/** The CRC of a string's UTF-8 bytes, in hex (without encoding it first when the runtime's crc32 can). */
export function crc32HexOfText(text: string): string {
  return hex(native ? native(text) >>> 0 : jsCrc32(Buffer.from(text, 'utf8')));
}

function hex(c: number): string {
  return c.toString(16).padStart(8, '0');
}
