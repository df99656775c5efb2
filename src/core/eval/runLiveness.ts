// Is a RUNNING run still being filled, or did its process die? A runner stamps its run with its
// pid and host at creation and refreshes a heartbeat tag every HEARTBEAT_MS while it runs. A run
// is *interrupted* when it is RUNNING and either
//   - its owner is on this host and that pid is gone (seen at once after a SIGKILL or crash), or
//   - its heartbeat is older than STALE_MS (another host, a reused pid, a frozen machine).
// A live runner never looks interrupted: on its own host its pid is alive, elsewhere its
// heartbeat is at most HEARTBEAT_MS old (plus one store write). The one false positive is a
// runner stalled for STALE_MS (e.g. a server it cannot reach); a resume is still safe then,
// because a resume must take the journal's exclusive lock, which that runner holds.
import os from 'node:os';
import type { Run, TrackingStore } from '../tracking/types';
import { pidAlive } from '../tracking/local/fileLock';
import { TAGS } from './runContext';
import { readCaseJournal } from './caseJournal';

export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 60_000;

export type RunLiveness =
  | { state: 'ended' }
  /** RUNNING and still owned by a live process (or of unknown ownership: runs by other tools). */
  | { state: 'running'; done?: number; total?: number }
  | { state: 'interrupted'; done?: number; total?: number; why: string };

function tag(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

function num(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function thisHost(): string {
  return os.hostname();
}

export function runLiveness(run: Run, opts: { now?: number; host?: string; isAlive?: (pid: number) => boolean } = {}): RunLiveness {
  if (run.info.status !== 'RUNNING') return { state: 'ended' };
  const done = num(tag(run, TAGS.casesDone));
  const total = num(tag(run, TAGS.casesTotal));
  const pid = num(tag(run, TAGS.ownerPid));
  const host = tag(run, TAGS.ownerHost);
  const beat = num(tag(run, TAGS.heartbeat));
  if (pid === undefined || beat === undefined) return { state: 'running', done, total };
  const now = opts.now ?? Date.now();
  if (host === (opts.host ?? thisHost()) && !(opts.isAlive ?? pidAlive)(pid)) {
    return { state: 'interrupted', done, total, why: `its process (pid ${pid}) is gone` };
  }
  if (now - beat > STALE_MS) {
    return { state: 'interrupted', done, total, why: `no heartbeat from pid ${pid} on ${host ?? 'an unknown host'} for ${Math.round((now - beat) / 1000)} s` };
  }
  return { state: 'running', done, total };
}

/** The owner tags a runner writes when it creates (or takes over) a run. */
export function ownerTags(doneRows: number, totalRows: number): { key: string; value: string }[] {
  return [
    { key: TAGS.ownerPid, value: String(process.pid) },
    { key: TAGS.ownerHost, value: thisHost() },
    { key: TAGS.heartbeat, value: String(Date.now()) },
    { key: TAGS.casesDone, value: String(doneRows) },
    { key: TAGS.casesTotal, value: String(totalRows) },
  ];
}

/** Refreshes the heartbeat (and the done count) every HEARTBEAT_MS until stopped. Never throws. */
export function startHeartbeat(store: TrackingStore, runId: string, done: () => number, intervalMs = HEARTBEAT_MS): { stop(): Promise<void> } {
  let inFlight: Promise<void> = Promise.resolve();
  const beat = () => {
    inFlight = store.logBatch(runId, {
      tags: [{ key: TAGS.heartbeat, value: String(Date.now()) }, { key: TAGS.casesDone, value: String(done()) }],
    }).catch(() => undefined);
  };
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

export interface RunProgressView {
  /** 'interrupted' for a RUNNING run whose process died; else the status, lower-cased. */
  state: 'interrupted' | 'running' | 'finished' | 'failed' | 'killed' | 'scheduled';
  /** Rows recorded (exact from the local case journal when there is one, else the last heartbeat's count). */
  done?: number;
  total?: number;
  why?: string;
}

/** How the Runs view and `prompt-ledger runs` show a run's state and how far it got. */
export function runProgressView(run: Run, journalFile?: string): RunProgressView {
  const live = runLiveness(run);
  const state = live.state === 'interrupted' ? 'interrupted' : (run.info.status.toLowerCase() as RunProgressView['state']);
  let done = live.state === 'ended' ? num(tag(run, TAGS.casesDone)) : live.done;
  const total = num(tag(run, TAGS.casesTotal));
  // KILLED/FAILED runs carry their final count; only live or dead-RUNNING ones need the journal.
  if (journalFile && (state === 'interrupted' || state === 'running')) {
    const j = readCaseJournal(journalFile);
    if (j.header) done = j.rows.size;
  }
  return { state, done, total, why: live.state === 'interrupted' ? live.why : undefined };
}
