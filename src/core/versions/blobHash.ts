import { createHash } from 'node:crypto';

/**
 * Git's object id for a blob with this content: sha1("blob <byte length>\0" + bytes).
 * Strings are hashed as UTF-8, exactly as the editor would save them (no CRLF conversion here;
 * see `sameContentAsBlob` for the line-ending tolerant comparison).
 */
export function gitBlobHash(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/**
 * True when `text` is what git stored as `blobId`. A checkout with `core.autocrlf` gives the
 * editor CRLF text for a blob stored with LF, so the LF-normalised text is tried as well; that
 * way an unchanged file never shows as edited on Windows.
 */
export function sameContentAsBlob(text: string, blobId: string): boolean {
  if (gitBlobHash(text) === blobId) return true;
  return text.includes('\r\n') && gitBlobHash(text.replace(/\r\n/g, '\n')) === blobId;
}
