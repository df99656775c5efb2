// Monitor: the production traces MLflow holds for one registered prompt version. MLflow links a
// trace to a prompt when an app loads `prompts:/name@alias` inside it (link-prompts; filter
// `prompt = 'name/version'`). Plan (resolve the version, pick the experiments) → stream the
// search's pages through the accumulator, newest first, up to a bound → the summary.
import type { TrackingStore } from '../tracking/types';
import { TrackingError } from '../tracking/types';
import type { MlflowHttp } from '../tracking/mlflow/httpClient';
import { MlflowStore } from '../tracking/mlflow/mlflowStore';
import { eachItem } from '../tracking/pages';
import { getPrompt, parsePromptRef } from '../registry/promptStore';
import { MonitorAccumulator, type MonitorSummary } from './monitorSummary';
import { MAX_TRACES_PAGE, promptTraceFilter, searchTraces, type TraceInfoV3 } from './traceSearch';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

/** RM tag MLflow's client writes after register/load: ",0,1," = experiments that used the prompt. */
/** The summary covers at most this many most-recent traces unless asked otherwise. */
export const DEFAULT_MONITOR_SAMPLE = 10_000;

export interface MonitorTarget {
  name: string;
  version: string;
  experimentIds: string[];
  filter: string;
}

export interface MonitorResult {
  target: MonitorTarget;
  summary: MonitorSummary;
  /** Traces the summary read (newest first). */
  scanned: number;
  /** True when more linked traces exist beyond the bound: the summary is of the newest `scanned`. */
  truncated: boolean;
}

export const MONITOR_NEEDS_SERVER = 'Monitor needs an MLflow server: production traces live on the tracking server your apps log to. Set promptLedger.trackingUri (or pass --tracking-uri http://host:5000).';

export function monitorHttp(store: TrackingStore): MlflowHttp {
  if (!(store instanceof MlflowStore)) throw new TrackingError('INVALID_PARAMETER_VALUE', MONITOR_NEEDS_SERVER);
  return store.httpClient;
}

function experimentIdsFromTag(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Resolves `name`, `name@alias` or `name/version` and the experiments to search. */
export async function planMonitor(store: TrackingStore, ref: string): Promise<MonitorTarget> {
  monitorHttp(store);
  const { name, ...pref } = parsePromptRef(ref);
  const pv = await getPrompt(store, name, pref);
  const model = await store.getRegisteredModel(name);
  let experimentIds = experimentIdsFromTag(model.tags.find((t) => t.key === MLFLOW_TAG.promptExperimentIds)?.value);
  // The tag is written in the background and may be missing: then search every experiment.
  if (experimentIds.length === 0) {
    experimentIds = [];
    for await (const e of eachItem((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))) experimentIds.push(e.experimentId);
  }
  return { name, version: pv.version, experimentIds, filter: promptTraceFilter(name, pv.version) };
}

/** Streams the newest linked traces (≤ maxTraces) page by page into the summary. */
export async function summarizeMonitor(store: TrackingStore, target: MonitorTarget, opts: { maxTraces?: number } = {}): Promise<MonitorResult> {
  const http = monitorHttp(store);
  const max = opts.maxTraces ?? DEFAULT_MONITOR_SAMPLE;
  const acc = new MonitorAccumulator();
  let scanned = 0;
  let truncated = false;
  for await (const t of eachItem((pageToken) => searchTraces(http, { experimentIds: target.experimentIds, filter: target.filter, maxResults: Math.min(MAX_TRACES_PAGE, max), pageToken }))) {
    if (scanned >= max) { truncated = true; break; }
    acc.add(t);
    scanned++;
  }
  return { target, summary: acc.summary(), scanned, truncated };
}

/** One page of the linked traces, newest first, for a paged list. */
export function monitorTracePage(store: TrackingStore, target: MonitorTarget, opts: { pageSize?: number; pageToken?: string } = {}): Promise<{ items: TraceInfoV3[]; nextPageToken?: string }> {
  return searchTraces(monitorHttp(store), { experimentIds: target.experimentIds, filter: target.filter, maxResults: opts.pageSize ?? 50, pageToken: opts.pageToken });
}
