// Cross-process write lock for the embedded store (the editor and the CLI can write at once).
// The lock file is created complete and atomically: its content (pid, host, token) is written to a
// private temp file that is then hard-linked to the lock name; link() fails with EEXIST if the lock
// is held. A lock whose pid is dead on this host (a writer killed by SIGKILL) is broken by renaming
// it away and checking that what was renamed is the stale lock that was seen, not a fresh one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { TrackingError } from '../types';

interface LockContent { pid: number; host: string; token: string; time: number }

export interface FileLock { release(): void }

export interface LockOptions {
  /** Give up after this long (a writer holding the lock that long is stuck). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid lives (pid reuse, or another host). */
  maxAgeMs?: number;
}

export async function acquireFileLock(lockPath: string, opts: LockOptions = {}): Promise<FileLock> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
  const content: LockContent = { pid: process.pid, host: os.hostname(), token: crypto.randomBytes(8).toString('hex'), time: Date.now() };
  const text = JSON.stringify(content);
  const tmp = `${lockPath}.${content.pid}.${content.token}`;
  fs.writeFileSync(tmp, text);
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  try {
    for (;;) {
      try {
        fs.linkSync(tmp, lockPath);
        return { release: () => releaseIfOurs(lockPath, text) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const seen = readLock(lockPath);
      if (seen !== undefined && isStale(seen, maxAgeMs)) {
        breakStaleLock(lockPath, seen.raw);
        continue;
      }
      if (Date.now() > deadline) {
        throw new TrackingError('UNAVAILABLE', `The embedded store is locked by ${seen?.parsed ? `pid ${seen.parsed.pid} on ${seen.parsed.host}` : 'another process'} (${lockPath}). If no Prompt Ledger process is running, delete that file.`);
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 25);
    }
  } finally {
    try { fs.unlinkSync(tmp); } catch { /* already gone */ }
  }
}

function readLock(lockPath: string): { raw: string; parsed?: LockContent; mtimeMs: number } | undefined {
  try {
    const raw = fs.readFileSync(lockPath, 'utf8');
    const mtimeMs = fs.statSync(lockPath).mtimeMs;
    let parsed: LockContent | undefined;
    try { parsed = JSON.parse(raw) as LockContent; } catch { parsed = undefined; }
    return { raw, parsed, mtimeMs };
  } catch {
    return undefined; // released between link() and read: just retry
  }
}

function isStale(seen: { parsed?: LockContent; mtimeMs: number }, maxAgeMs: number): boolean {
  if (Date.now() - seen.mtimeMs > maxAgeMs) return true;
  const c = seen.parsed;
  if (!c) return false;
  if (c.host !== os.hostname()) return false;
  return !pidAlive(c.pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function breakStaleLock(lockPath: string, staleRaw: string): void {
  const aside = `${lockPath}.stale-${crypto.randomBytes(6).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // someone else broke it first
  }
  let raw = '';
  try { raw = fs.readFileSync(aside, 'utf8'); } catch { /* vanished */ }
  if (raw !== staleRaw) {
    // We moved a fresh lock another process had just taken: put it back.
    try { fs.linkSync(aside, lockPath); } catch { /* a third process holds it now; theirs wins */ }
  }
  try { fs.unlinkSync(aside); } catch { /* gone */ }
}

function releaseIfOurs(lockPath: string, text: string): void {
  try {
    if (fs.readFileSync(lockPath, 'utf8') === text) fs.unlinkSync(lockPath);
  } catch {
    // already removed (e.g. broken as stale after a long pause): nothing to release
  }
}
