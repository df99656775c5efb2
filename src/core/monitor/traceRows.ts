// One line of the Monitor's trace list, read from a trace info: the same fields for the CLI and
// the panel, so both show what MLflow's Traces tab shows (time, state, latency, previews, tokens).
import { durationMs, tokenUsage, traceTime } from './monitorSummary';
import type { TraceInfoV3 } from './traceSearch';

export interface TraceRow {
  traceId: string;
  experimentId: string;
  time: number | null;
  state: string;
  durationMs: number | null;
  request: string;
  response: string;
  totalTokens: number | null;
}

const PREVIEW = 300;

export function traceRow(t: TraceInfoV3): TraceRow {
  return {
    traceId: t.trace_id,
    experimentId: t.trace_location?.mlflow_experiment?.experiment_id ?? '',
    time: traceTime(t) ?? null,
    state: t.state ?? 'STATE_UNSPECIFIED',
    durationMs: durationMs(t.execution_duration) ?? null,
    request: (t.request_preview ?? '').slice(0, PREVIEW),
    response: (t.response_preview ?? '').slice(0, PREVIEW),
    totalTokens: tokenUsage(t)?.total ?? null,
  };
}
