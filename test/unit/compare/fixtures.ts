// Builders for runs and eval tables shaped like what the eval runner logs.
import type { Run } from '../../../src/core/tracking/types';
import type { EvalTable } from '../../../src/core/compare/evalTable';

export function makeRun(runId: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}): Run {
  return {
    info: { runId, runName: `run-${runId}`, experimentId: '1', status: 'FINISHED', startTime: 1_700_000_000_000, lifecycleStage: 'active' },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
  };
}

export interface CaseSpec { id?: string; inputs: unknown; expected?: string; output: string; score?: number; pass?: boolean; latency?: number; error?: string }

export function makeTable(cases: CaseSpec[]): EvalTable {
  return {
    columns: ['case_id', 'inputs', 'expected', 'output', 'scores', 'pass', 'latency_ms', 'error'],
    data: cases.map((c) => [c.id ?? null, c.inputs, c.expected ?? null, c.output, { exact_match: c.score ?? (c.pass ? 1 : 0) }, c.pass ?? null, c.latency ?? null, c.error ?? null]),
  };
}
