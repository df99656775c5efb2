// The embedded store's TraceStore side, kept with the run's files. An eval run's case traces
// come from its case journal (kept in the store) and the run's trace context
// (traces/journal.json, traces/journalTraces.ts), built when read; traces logged as such (logTraces)
// are JSON-lines artifacts (traces/<first trace id>+<n>.jsonl, MLflow's trace JSON a line, which
// MLflow's Trace.from_dict reads), so a batch written again replaces itself and readers take the
// last line per trace id; the dataset inputs are inputs/datasets.json (one entry per name and hash).
import fs from 'node:fs';
import type { ArtifactStore, Page, StoredTrace, TraceBatch } from '../types';
import { isTrackingError } from '../types';
import type { DatasetInputSpec } from '../traces/datasetInput';
import type { CaseTrace } from '../traces/caseTrace';
import { TRACE_ARTIFACT_DIR, toTraceJson, traceBatchPath } from '../traces/traceJson';
import { fromTraceJson, type TraceJson } from '../traces/traceJsonRead';
import { toStoredTrace } from '../traces/runTraceSearch';
import { journalCaseTraces, type JournalTraceContext, type LazyCaseTrace } from '../traces/journalTraces';
import { storeJournalPath } from '../../eval/caseJournal';
import { checkMaxResults, decodePageToken, pageOf } from './paging';

export const DATASET_INPUTS_FILE = 'inputs/datasets.json';
export const JOURNAL_TRACE_CONTEXT_FILE = `${TRACE_ARTIFACT_DIR}/journal.json`;

/** The embedded store as its trace side reads it: the run's artifacts and the store folder (for the journals). */
export type EmbeddedTraceSource = ArtifactStore & { readonly location: string };

export async function logEmbeddedTraces(store: ArtifactStore, batch: TraceBatch): Promise<void> {
  if (batch.traces.length === 0) return;
  const lines = batch.traces.map((t) => JSON.stringify(toTraceJson(t)));
  await store.uploadArtifact(batch.runId, traceBatchPath(batch.traces), `${lines.join('\n')}\n`);
}

/** The run's case traces come from its journal from now on (written once a run, again when it ends). */
export async function logEmbeddedJournalTraces(store: ArtifactStore, context: JournalTraceContext): Promise<void> {
  await store.uploadArtifact(context.run.runId, JOURNAL_TRACE_CONTEXT_FILE, JSON.stringify(context));
}

/**
 * Every trace of the run once each, oldest request first, not built yet: the logged batches (the
 * last line per trace id), then the journal's cases, which replace a logged trace of the same id.
 */
async function embeddedTraceEntries(store: EmbeddedTraceSource, runId: string): Promise<LazyCaseTrace[]> {
  const top = await store.listArtifacts(runId);
  if (!top.some((f) => f.path === TRACE_ARTIFACT_DIR && f.isDir)) return [];
  const files = (await store.listArtifacts(runId, TRACE_ARTIFACT_DIR)).filter((f) => !f.isDir);
  const byId = new Map<string, LazyCaseTrace>();
  const decoder = new TextDecoder();
  for (const f of files.filter((x) => x.path.endsWith('.jsonl'))) {
    for (const line of decoder.decode(await store.downloadArtifact(runId, f.path)).split('\n')) {
      if (!line) continue;
      const t = JSON.parse(line) as TraceJson;
      byId.set(t.info.trace_id, { traceId: t.info.trace_id, startMs: Date.parse(t.info.request_time), build: () => fromTraceJson(t) });
    }
  }
  if (files.some((f) => f.path === JOURNAL_TRACE_CONTEXT_FILE)) {
    const context = JSON.parse(decoder.decode(await store.downloadArtifact(runId, JOURNAL_TRACE_CONTEXT_FILE))) as JournalTraceContext;
    for (const t of journalCaseTraces(context, storeJournalPath(store.location, runId))) byId.set(t.traceId, t);
  }
  return [...byId.values()].sort((a, b) => a.startMs - b.startMs || a.traceId.localeCompare(b.traceId));
}

/** The size of the run's case journal, which its traces are built from (sync's change check); undefined without one. */
export function caseJournalSize(store: EmbeddedTraceSource, runId: string): number | undefined {
  try {
    return fs.statSync(storeJournalPath(store.location, runId)).size;
  } catch {
    return undefined;
  }
}

/** Every trace of the run, once each, oldest request first. */
export async function readEmbeddedTraces(store: EmbeddedTraceSource, runId: string): Promise<CaseTrace[]> {
  return (await embeddedTraceEntries(store, runId)).map((t) => t.build());
}

/** A page of the run's traces; only the page's traces are built. */
export async function searchEmbeddedTraces(store: EmbeddedTraceSource, req: { runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> {
  const size = checkMaxResults('traces/search', req.maxResults, 500, 500);
  const entries = await embeddedTraceEntries(store, req.runId);
  return pageOf(entries, decodePageToken(req.pageToken), size, (t) => toStoredTrace(t.build().info));
}

/** The run's dataset inputs as they were logged (sync sends them to a server as run inputs). */
export async function readEmbeddedDatasetInputs(store: ArtifactStore, runId: string): Promise<DatasetInputSpec[]> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.downloadArtifact(runId, DATASET_INPUTS_FILE))) as DatasetInputSpec[];
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return [];
    throw e;
  }
}

export async function logEmbeddedDatasetInput(store: ArtifactStore, runId: string, d: DatasetInputSpec): Promise<void> {
  const all = await readEmbeddedDatasetInputs(store, runId);
  const same = (x: DatasetInputSpec) => x.name === d.name && x.hash === d.hash;
  await store.uploadArtifact(runId, DATASET_INPUTS_FILE, JSON.stringify([...all.filter((x) => !same(x)), d], null, 2));
}
