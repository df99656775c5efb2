// The one validation of MLflow's run answers (runs/search, runs/get, runs/create, runs/update),
// read straight into Run objects. A search page holds up to 1000 runs with tens of
// params/metrics/tags each; validating that with zod would cost a copy of every nested object (and
// the GC work to drop it), so these hand-written checks accept proto3 JSON (empty fields omitted,
// int64 as number or string), build the result in one pass, and raise a typed error on a malformed
// answer, naming the path of the first bad field.
import { TrackingError } from '../types';
import type { Metric, Page, Run, RunInfo, RunStatus, LifecycleStage, Tag } from '../types';

const STATUSES = new Set(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

class Malformed extends Error {
  constructor(readonly path: string, readonly expected: string) {
    super(`${path}: expected ${expected}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(o: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || typeof v === 'string') return v;
  throw new Malformed(`${path}.${key}`, 'a string');
}

function reqString(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  throw new Malformed(`${path}.${key}`, 'a string');
}

/** int64 as proto3 JSON writes it: a number or a decimal string. */
function optInt64(o: Record<string, unknown>, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  throw new Malformed(`${path}.${key}`, 'a number or a numeric string');
}

/** double as proto3 JSON writes it: a number, or "NaN" / "Infinity" / "-Infinity" / a string. */
function metricValue(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
  throw new Malformed(`${path}.value`, 'a number or a numeric string');
}

function optArray(o: Record<string, unknown>, key: string, path: string): unknown[] {
  const v = o[key];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new Malformed(`${path}.${key}`, 'an array');
}

function readKeyValues(o: Record<string, unknown>, key: string, path: string): Tag[] {
  const items = optArray(o, key, path);
  const out: Tag[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item)) throw new Malformed(`${path}.${key}.${i}`, 'an object');
    const k = item.key;
    if (typeof k !== 'string') throw new Malformed(`${path}.${key}.${i}.key`, 'a string');
    const v = item.value;
    if (v !== undefined && typeof v !== 'string') throw new Malformed(`${path}.${key}.${i}.value`, 'a string');
    out[i] = { key: k, value: v ?? '' };
  }
  return out;
}

function readMetrics(o: Record<string, unknown>, path: string): Metric[] {
  const items = optArray(o, 'metrics', path);
  const out: Metric[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const at = `${path}.metrics.${i}`;
    if (!isObject(item)) throw new Malformed(at, 'an object');
    out[i] = {
      key: reqString(item, 'key', at),
      value: metricValue(item.value, at),
      timestamp: optInt64(item, 'timestamp', at) ?? 0,
      step: optInt64(item, 'step', at) ?? 0,
    };
  }
  return out;
}

function readRunInfo(v: unknown, path: string): RunInfo {
  if (!isObject(v)) throw new Malformed(path, 'an object');
  const status = optString(v, 'status', path) ?? 'RUNNING';
  const runId = optString(v, 'run_id', path);
  const runUuid = optString(v, 'run_uuid', path);
  return {
    runId: (runId || runUuid)!,
    runName: optString(v, 'run_name', path) ?? '',
    experimentId: reqString(v, 'experiment_id', path),
    userId: optString(v, 'user_id', path) || undefined,
    status: (STATUSES.has(status) ? status : 'RUNNING') as RunStatus,
    startTime: optInt64(v, 'start_time', path) ?? 0,
    endTime: optInt64(v, 'end_time', path),
    artifactUri: optString(v, 'artifact_uri', path),
    lifecycleStage: (optString(v, 'lifecycle_stage', path) ?? 'active') as LifecycleStage,
  };
}

function readRunAt(v: unknown, path: string): Run {
  if (!isObject(v)) throw new Malformed(path, 'an object');
  const info = readRunInfo(v.info, `${path}.info`);
  const data = v.data;
  if (data === undefined) return { info, data: { metrics: [], params: [], tags: [] } };
  const at = `${path}.data`;
  if (!isObject(data)) throw new Malformed(at, 'an object');
  return { info, data: { metrics: readMetrics(data, at), params: readKeyValues(data, 'params', at), tags: readKeyValues(data, 'tags', at) } };
}

function unexpected(e: unknown, what: string): never {
  if (e instanceof Malformed) {
    throw new TrackingError('INTERNAL_ERROR', `Unexpected answer from the MLflow server for ${what}: ${e.path.replace(/^\./, '') || 'the answer'}: expected ${e.expected}`);
  }
  throw e;
}

/** The object at `body[key]`, read by `read`; a malformed answer becomes the typed error. */
function readField<T>(body: unknown, key: string, what: string, read: (v: unknown, path: string) => T): T {
  try {
    if (!isObject(body)) throw new Malformed('', 'an object');
    return read(body[key], key);
  } catch (e) {
    return unexpected(e, what);
  }
}

/** `{ run: {...} }` from runs/get and runs/create. */
export function readRunAnswer(body: unknown, what: string): Run {
  return readField(body, 'run', what, readRunAt);
}

/** `{ run_info: {...} }` from runs/update. */
export function readRunInfoAnswer(body: unknown, what: string): RunInfo {
  return readField(body, 'run_info', what, readRunInfo);
}

/** `{ runs: [...], next_page_token }` from runs/search. */
export function readSearchRunsAnswer(body: unknown, what: string): Page<Run> {
  try {
    if (!isObject(body)) throw new Malformed('', 'an object');
    const runs = optArray(body, 'runs', '');
    const items: Run[] = new Array(runs.length);
    for (let i = 0; i < runs.length; i++) items[i] = readRunAt(runs[i], `runs.${i}`);
    return { items, nextPageToken: optString(body, 'next_page_token', '') || undefined };
  } catch (e) {
    return unexpected(e, what);
  }
}
