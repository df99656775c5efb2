// Trace, span and assessment ids derived from what a case is (run, case, repeat), not drawn at
// random: writing the same case again lands on the same trace, spans and assessments, so a
// retried or replayed write merges instead of doubling.
import { createHash } from 'node:crypto';

function hex(parts: readonly (string | number)[], chars: number): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p)).update('\0');
  const out = h.digest('hex').slice(0, chars);
  // An all-zero id is invalid in OpenTelemetry; astronomically unlikely, but never emit one.
  return /^0+$/.test(out) ? `${out.slice(0, -1)}1` : out;
}

/** 32 hex chars: the OpenTelemetry trace id. MLflow's trace id is `tr-` + this. */
export function otelTraceId(runId: string, caseId: string, caseIndex: number, repeat: number): string {
  return hex(['trace', runId, caseId, caseIndex, repeat], 32);
}

export function mlflowTraceId(otelId: string): string {
  return `tr-${otelId}`;
}

/** 16 hex chars, unique within the trace for a given span key (e.g. 'root', 'scorer:0'). */
export function spanId(otelTraceIdHex: string, key: string): string {
  return hex(['span', otelTraceIdHex, key], 16);
}

/** `a-` + 32 hex chars, the form MLflow's server generates. */
export function assessmentId(traceId: string, key: string): string {
  return `a-${hex(['assessment', traceId, key], 32)}`;
}
