// Format versioning of the embedded store. manifest.json names the format and its version; opening
// a store written by an older version runs the migrations below in order (under the write lock),
// opening one written by a newer version is refused rather than risked.
import fs from 'node:fs';
import path from 'node:path';
import { TrackingError } from '../types';

export const FORMAT_NAME = 'prompt-ledger-embedded-store';
export const CURRENT_FORMAT_VERSION = 1;

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  /** Which snapshot-<g>.jsonl / log-<g>.jsonl pair is current; compaction increments it. */
  generation: number;
  createdAt: number;
  /** Random id of this store, so a server can tell which store a synced entity came from. */
  storeId?: string;
}

export interface Migration {
  from: number;
  to: number;
  /** Rewrites the store in `dir` from version `from` to `to`; returns the new manifest. Must be crash-safe
   *  (write new files, then swap the manifest), because a kill mid-migration must leave the old version. */
  migrate(dir: string, manifest: Manifest): Manifest;
}

/** Only v1 exists so far; a v2 adds `{ from: 1, to: 2, migrate }` here. */
export const MIGRATIONS: Migration[] = [];

export function manifestPath(dir: string): string {
  return path.join(dir, 'manifest.json');
}

export function readManifest(dir: string): Manifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(manifestPath(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new TrackingError('INTERNAL_ERROR', `${manifestPath(dir)} is not valid JSON. Restore it from a backup, or move the folder away to start a new store.`);
  }
  if (m.format !== FORMAT_NAME || !Number.isInteger(m.formatVersion) || !Number.isInteger(m.generation)) {
    throw new TrackingError('INTERNAL_ERROR', `${manifestPath(dir)} is not a Prompt Ledger store manifest (expected format "${FORMAT_NAME}").`);
  }
  return m;
}

/** Replaces the manifest atomically: temp file, fsync, rename, fsync of the folder. */
export function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(manifestPath(dir), JSON.stringify(m, null, 2) + '\n');
}

export function checkVersion(dir: string, m: Manifest): void {
  if (m.formatVersion > CURRENT_FORMAT_VERSION) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${manifestPath(dir)} has format version ${m.formatVersion}, newer than this Prompt Ledger understands (${CURRENT_FORMAT_VERSION}). Update the extension/CLI.`);
  }
}

/** Runs pending migrations in order; caller holds the write lock. */
export function migrateForward(dir: string, m: Manifest, migrations: Migration[] = MIGRATIONS): Manifest {
  let cur = m;
  while (cur.formatVersion < CURRENT_FORMAT_VERSION) {
    const step = migrations.find((x) => x.from === cur.formatVersion);
    if (!step) throw new TrackingError('INTERNAL_ERROR', `No migration from embedded store format ${cur.formatVersion} (${manifestPath(dir)}).`);
    cur = step.migrate(dir, cur);
    writeManifest(dir, cur);
  }
  return cur;
}

/**
 * Writes a temp file, fsyncs it, renames it over `file` and fsyncs the folder, so a reader or a
 * crash never sees half a file. `tmp` is the temp file's path (same folder as `file`).
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`,
): void {
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
