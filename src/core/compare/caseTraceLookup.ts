// The trace of one case of a run, found by what the trace writer puts on it (traceInfo.ts): the
// run link (mlflow.sourceRun, searched as MLflow's `run_id` attribute) and the case's identity tags
// (promptledger.caseId, promptledger.repeat). On a server: MLflow's trace search, then the trace's
// spans; in the embedded store: the run's traces as the store reads them back (embeddedTraces.ts).
import type { TrackingStore } from '../tracking/types';
import { MlflowStore } from '../tracking/mlflow/mlflowStore';
import { quoteFilterValue } from '../tracking/filter';
import { readEmbeddedTraces } from '../tracking/local/embeddedTraces';
import type { SpanRecord } from '../tracking/traces/spans';
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

/** A span the trace writer built, in the shape a server's traces/get returns (what spanTree reads). */
function rawSpan(s: SpanRecord): RawSpan {
  const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
  return {
    span_id: s.spanId, parent_span_id: s.parentId ?? '', name: s.name,
    start_time_unix_nano: ns(s.startMs), end_time_unix_nano: ns(Math.max(s.endMs, s.startMs)),
    status: { code: s.status.code === 'ERROR' ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK', message: s.status.message },
    attributes: s.attributes,
  };
}

async function findEmbeddedCaseTrace(store: TrackingStore, ref: CaseTraceRef): Promise<FoundCaseTrace | undefined> {
  const found = (await readEmbeddedTraces(store, ref.runId)).find((t) => {
    const { tags, trace_metadata: meta } = t.info;
    return tags[TRACE_TAGS.caseId] === ref.caseId && tags[TRACE_TAGS.repeat] === String(ref.repeat) && meta[TRACE_METADATA.sourceRun] === ref.runId;
  });
  if (!found) return undefined;
  return { traceId: found.traceId, experimentId: ref.experimentId, state: found.info.state, spans: spanTree(found.spans.map(rawSpan)) };
}

/** Which sample of a case a compare row is: the `#n` suffix evalTable adds to repeated keys. */
export function repeatOfCaseKey(key: string): number {
  const m = /#(\d+)$/.exec(key);
  return m ? Number(m[1]) : 0;
}
