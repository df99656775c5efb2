// Splits a log-batch into requests within the server's limits (mlflow/utils/validation.py:
// 1000 metrics, 100 params, 100 tags, 1000 entities and 1 MB per request).
import { LIMITS } from '../validation';
import type { LogBatch, Metric, Param, Tag } from '../types';

// Headroom under the server's 1 MB for the JSON envelope.
const MAX_BYTES = LIMITS.maxBatchRequestBytes - 10_000;

export function splitLogBatch(batch: LogBatch): Required<LogBatch>[] {
  const chunks: Required<LogBatch>[] = [];
  let cur: Required<LogBatch> = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const flush = () => {
    if (cur.metrics.length || cur.params.length || cur.tags.length) chunks.push(cur);
    cur = { metrics: [], params: [], tags: [] };
    bytes = 0;
  };
  const add = <K extends keyof LogBatch>(kind: K, item: Metric | Param | Tag, limit: number) => {
    const size = JSON.stringify(item).length + 1;
    const total = cur.metrics.length + cur.params.length + cur.tags.length;
    if ((cur[kind] as unknown[]).length >= limit || total >= LIMITS.maxEntitiesPerBatch || bytes + size > MAX_BYTES) flush();
    (cur[kind] as unknown[]).push(item);
    bytes += size;
  };
  for (const p of batch.params ?? []) add('params', p, LIMITS.maxParamsTagsPerBatch);
  for (const t of batch.tags ?? []) add('tags', t, LIMITS.maxParamsTagsPerBatch);
  for (const m of batch.metrics ?? []) add('metrics', m, LIMITS.maxMetricsPerBatch);
  flush();
  return chunks;
}
