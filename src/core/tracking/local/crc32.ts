// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) in plain JS: node:zlib.crc32 only exists from Node 22,
// and the bundle must run on Node 20 and Electron. Used to detect torn or corrupted log lines.
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
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function crc32Hex(bytes: Uint8Array, start?: number, end?: number): string {
  return crc32(bytes, start, end).toString(16).padStart(8, '0');
}
