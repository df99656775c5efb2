// Which eval runs belong to a prompt version, and whether each one passed its suite's thresholds.
import type { Run, TrackingStore } from '../tracking/types';
import { PASS_RATE_METRIC, PASS_RATE_THRESHOLD_PARAM, PROMPT_HASH_PARAM, TAG } from './registryTags';
import { allItems } from '../tracking/pages';
import { TAGS } from '../eval/runContext';

export interface LinkedRun {
  runId: string;
  runName: string;
  experimentId: string;
  startTime: number;
  status: string;
  passRate: number | null;
  /** true/false when the run recorded a verdict or a threshold, null when it cannot be told. */
  passed: boolean | null;
}

const tagOf = (r: Run, k: string) => r.data.tags.find((t) => t.key === k)?.value;
const paramOf = (r: Run, k: string) => r.data.params.find((p) => p.key === k)?.value;

/**
 * A run passed when it says so (tag promptledger.passed) or, failing that, when its pass_rate
 * reaches the threshold it logged as param threshold.pass_rate.
 */
export function runPassed(run: Run): boolean | null {
  const tag = tagOf(run, TAG.passed);
  if (tag !== undefined) return tag.toLowerCase() === 'true';
  const rate = metricOf(run, PASS_RATE_METRIC);
  const thr = Number(paramOf(run, PASS_RATE_THRESHOLD_PARAM));
  if (rate === null || paramOf(run, PASS_RATE_THRESHOLD_PARAM) === undefined || !Number.isFinite(thr)) return null;
  return rate >= thr;
}

export function metricOf(run: Run, key: string): number | null {
  const ms = run.data.metrics.filter((m) => m.key === key);
  if (ms.length === 0) return null;
  return ms.reduce((a, b) => (b.step > a.step || (b.step === a.step && b.timestamp >= a.timestamp) ? b : a)).value;
}

/** Linked by MLflow's mlflow.linkedPrompts tag, or by our content hash (tag or param). */
export function isRunLinked(run: Run, name: string, version: string, contentHash: string | undefined): boolean {
  // A run of some cases only (Test Explorer) says nothing about the version as a whole.
  if (run.data.tags.some((t) => t.key === TAGS.partial)) return false;
  const linked = tagOf(run, TAG.linkedPrompts);
  if (linked) {
    try {
      const list = JSON.parse(linked) as unknown;
      if (Array.isArray(list) && list.some((p) => p && String(p.name) === name && String(p.version) === version)) return true;
    } catch { /* not JSON: ignore the tag, fall through to the hash */ }
  }
  if (!contentHash) return false;
  return tagOf(run, TAG.promptHash) === contentHash || paramOf(run, PROMPT_HASH_PARAM) === contentHash;
}

export function toLinkedRun(run: Run): LinkedRun {
  return {
    runId: run.info.runId,
    runName: run.info.runName || run.info.runId,
    experimentId: run.info.experimentId,
    startTime: run.info.startTime,
    status: run.info.status,
    passRate: metricOf(run, PASS_RATE_METRIC),
    passed: runPassed(run),
  };
}

/** Recent active runs of every experiment, newest first, capped at maxRuns. */
export async function recentRuns(store: TrackingStore, maxRuns = 2000): Promise<Run[]> {
  const experimentIds = (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).map((e) => e.experimentId);
  if (experimentIds.length === 0) return [];
  return allItems((pageToken) => store.searchRuns({ experimentIds, maxResults: Math.min(1000, maxRuns), orderBy: ['attributes.start_time DESC'], pageToken, runViewType: 'ACTIVE_ONLY' }), maxRuns);
}
