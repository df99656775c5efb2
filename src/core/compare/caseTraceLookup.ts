// The trace of one case of a run, found by what the trace writer puts on it (traceInfo.ts): the
// run link (mlflow.sourceRun, searched as MLflow's `run_id` attribute) and the case's identity tags
// (promptledger.caseId, promptledger.repeat). On a server: MLflow's trace search, then the trace's
// spans; in the embedded store: the run's traces/*.jsonl artifacts (MLflow trace JSON, last line
// per trace wins, as the writer replaces batches).
import type { TrackingStore } from '../tracking/types';
import { MlflowStore } from '../tracking/mlflow/mlflowStore';
import { quoteFilterValue } from '../tracking/filter';
import { TRACE_ARTIFACT_DIR } from '../tracking/traces/traceJson';
import { TRACE_METADATA, TRACE_TAGS } from '../tracking/traces/traceKeys';
import { getTrace, searchTraces, type RawSpan } from '../monitor/traceSearch';
import { spanTree, type SpanNode } from '../monitor/traceSpans';

export interface CaseTraceRef {
  experimentId: string;
  runId: string;
  caseId: string;
  repeat: number;
}

export interface FoundCaseTrace {
  traceId: string;
  experimentId: string;
  state: string;
  spans: SpanNode[];
}

/** MLflow's trace filter for one case of one run (the tags are backquoted: their keys hold dots). */
export function caseTraceFilter(ref: Pick<CaseTraceRef, 'runId' | 'caseId' | 'repeat'>): string {
  return [
    `attribute.run_id = ${quoteFilterValue(ref.runId)}`,
    `tag.\`${TRACE_TAGS.caseId}\` = ${quoteFilterValue(ref.caseId)}`,
    `tag.\`${TRACE_TAGS.repeat}\` = ${quoteFilterValue(String(ref.repeat))}`,
  ].join(' AND ');
}

/** The case's trace, or undefined when the run has none for it (an older run, or traces still being written). */
export async function findCaseTrace(store: TrackingStore, ref: CaseTraceRef): Promise<FoundCaseTrace | undefined> {
  if (store instanceof MlflowStore) {
    const http = store.httpClient;
    const page = await searchTraces(http, { experimentIds: [ref.experimentId], filter: caseTraceFilter(ref), maxResults: 1 });
    const info = page.items[0];
    if (!info) return undefined;
    const { spans } = await getTrace(http, info.trace_id);
    return { traceId: info.trace_id, experimentId: ref.experimentId, state: info.state ?? 'OK', spans: spanTree(spans) };
  }
  return findEmbeddedCaseTrace(store, ref);
}

interface TraceJsonLine {
  info?: { trace_id?: string; state?: string; tags?: Record<string, string>; trace_metadata?: Record<string, string> };
  data?: { spans?: (Omit<RawSpan, 'attributes'> & { attributes?: Record<string, unknown> })[] };
}

async function findEmbeddedCaseTrace(store: TrackingStore, ref: CaseTraceRef): Promise<FoundCaseTrace | undefined> {
  const files = await store.listArtifacts(ref.runId).catch(() => []);
  if (!files.some((f) => f.path === TRACE_ARTIFACT_DIR && f.isDir)) return undefined;
  const batches = (await store.listArtifacts(ref.runId, TRACE_ARTIFACT_DIR)).filter((f) => !f.isDir && f.path.endsWith('.jsonl'));
  const decoder = new TextDecoder();
  let found: TraceJsonLine | undefined;
  for (const f of batches) {
    const text = decoder.decode(await store.downloadArtifact(ref.runId, f.path));
    for (const line of text.split('\n')) {
      // Cheap pre-check before parsing: the case id must appear on the line.
      if (!line || !line.includes(ref.caseId)) continue;
      let t: TraceJsonLine;
      try { t = JSON.parse(line) as TraceJsonLine; } catch { continue; }
      const tags = t.info?.tags ?? {};
      if (tags[TRACE_TAGS.caseId] === ref.caseId && tags[TRACE_TAGS.repeat] === String(ref.repeat)
        && t.info?.trace_metadata?.[TRACE_METADATA.sourceRun] === ref.runId) found = t;
    }
  }
  if (!found?.info?.trace_id) return undefined;
  const spans: RawSpan[] = (found.data?.spans ?? []).map((s) => ({ ...s, attributes: s.attributes ?? {} }));
  return { traceId: found.info.trace_id, experimentId: ref.experimentId, state: found.info.state ?? 'OK', spans: spanTree(spans) };
}

/** Which sample of a case a compare row is: the `#n` suffix evalTable adds to repeated keys. */
export function repeatOfCaseKey(key: string): number {
  const m = /#(\d+)$/.exec(key);
  return m ? Number(m[1]) : 0;
}
