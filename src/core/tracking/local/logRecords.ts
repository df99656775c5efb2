// The records the embedded store's log and snapshots are made of. Every change to the store is one
// record; replaying them in order rebuilds the state. Ids and timestamps are chosen by the writer
// and stored in the record, so replay is deterministic in every process that reads the log.
import type { Metric, Param, RunStatus, Tag } from '../types';

export type LogRecord =
  | { t: 'exp.create'; id: string; name: string; tags: Tag[]; time: number }
  | { t: 'run.create'; runId: string; experimentId: string; runName: string; userId?: string; status: RunStatus; startTime: number; tags: Tag[] }
  | { t: 'run.update'; runId: string; status?: RunStatus; endTime?: number; runName?: string }
  | { t: 'run.delete'; runId: string; time: number }
  | { t: 'run.restore'; runId: string }
  /** One logBatch / setTag call: appended (and fsynced) as one record, so a batch is all-or-nothing. */
  | { t: 'run.batch'; runId: string; metrics?: Metric[]; params?: Param[]; tags?: Tag[] }
  | { t: 'rm.create'; name: string; time: number; description?: string; tags: Tag[] }
  | { t: 'rm.tag'; name: string; key: string; value: string; time: number }
  | { t: 'rm.update'; name: string; description: string; time: number }
  | { t: 'mv.create'; name: string; version: string; time: number; source: string; runId?: string; description?: string; tags: Tag[] }
  | { t: 'mv.tag'; name: string; version: string; key: string; value: string; time: number }
  | { t: 'mv.update'; name: string; version: string; description: string; time: number }
  | { t: 'mv.stage'; name: string; version: string; stage: string; archiveExisting: boolean; time: number }
  | { t: 'alias.set'; name: string; alias: string; version: string; time: number }
  | { t: 'alias.delete'; name: string; alias: string; time: number }
  /** Sync bookkeeping: local entity `localId` of `entity` exists on `target` as `remoteId`. */
  | { t: 'sync.map'; target: string; entity: string; localId: string; remoteId: string; time: number }
  /** Several records applied together (one API call that writes several entities, e.g. registerPrompt). */
  | { t: 'multi'; records: LogRecord[] }
  // Snapshot-only records: one whole entity each (written by compaction).
  | { t: 'snap.exp'; exp: ExperimentEntry }
  | { t: 'snap.run'; run: SerializedRun }
  | { t: 'snap.model'; model: SerializedModel }
  | { t: 'snap.sync'; target: string; map: Record<string, string> };

/** What the store keeps per experiment; the snapshot stores it as is. */
export interface ExperimentEntry {
  experimentId: string;
  name: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

export interface SerializedRun {
  runId: string;
  experimentId: string;
  runName: string;
  userId?: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  lifecycleStage: 'active' | 'deleted';
  deletedTime?: number;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Full history per key, in logging order. */
  metrics: Record<string, Array<[value: number, timestamp: number, step: number]>>;
}

export interface SerializedVersion {
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  source: string;
  runId?: string;
  currentStage: string;
  tags: Record<string, string>;
}

export interface SerializedModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Record<string, string>;
  aliases: Record<string, string>;
  versions: SerializedVersion[];
}

export type LogRecordType = LogRecord['t'];
