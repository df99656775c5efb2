// The embedded store's TraceStore side, kept with the run's files: each trace batch is one
// JSON-lines artifact (traces/<first trace id>+<n>.jsonl, MLflow's trace JSON a line, which
// MLflow's Trace.from_dict reads), so a batch written again replaces itself and readers take the
// last line per trace id; the dataset inputs are inputs/datasets.json (one entry per name and hash).
import type { ArtifactStore, Page, StoredTrace, TraceBatch } from '../types';
import { isTrackingError } from '../types';
import type { DatasetInputSpec } from '../traces/datasetInput';
import type { CaseTrace } from '../traces/caseTrace';
import { TRACE_ARTIFACT_DIR, toTraceJson, traceBatchPath } from '../traces/traceJson';
import { fromTraceJson, type TraceJson } from '../traces/traceJsonRead';
import { toStoredTrace } from '../traces/runTraceSearch';
import { checkMaxResults, decodePageToken, pageOf } from './paging';

export const DATASET_INPUTS_FILE = 'inputs/datasets.json';

export async function logEmbeddedTraces(store: ArtifactStore, batch: TraceBatch): Promise<void> {
  if (batch.traces.length === 0) return;
  const lines = batch.traces.map((t) => JSON.stringify(toTraceJson(t)));
  await store.uploadArtifact(batch.runId, traceBatchPath(batch.traces), `${lines.join('\n')}\n`);
}

/** Every trace of the run, once each (the last line per trace id), oldest request first. */
export async function readEmbeddedTraces(store: ArtifactStore, runId: string): Promise<CaseTrace[]> {
  const top = await store.listArtifacts(runId);
  if (!top.some((f) => f.path === TRACE_ARTIFACT_DIR && f.isDir)) return [];
  const files = (await store.listArtifacts(runId, TRACE_ARTIFACT_DIR)).filter((f) => !f.isDir && f.path.endsWith('.jsonl'));
  const byId = new Map<string, TraceJson>();
  const decoder = new TextDecoder();
  for (const f of files) {
    for (const line of decoder.decode(await store.downloadArtifact(runId, f.path)).split('\n')) {
      if (!line) continue;
      const t = JSON.parse(line) as TraceJson;
      byId.set(t.info.trace_id, t);
    }
  }
  return [...byId.values()].map(fromTraceJson).sort((a, b) => Date.parse(a.info.request_time) - Date.parse(b.info.request_time) || a.traceId.localeCompare(b.traceId));
}

export async function searchEmbeddedTraces(store: ArtifactStore, req: { runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> {
  const size = checkMaxResults('traces/search', req.maxResults, 500, 500);
  const traces = await readEmbeddedTraces(store, req.runId);
  return pageOf(traces, decodePageToken(req.pageToken), size, (t) => toStoredTrace(t.info));
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
