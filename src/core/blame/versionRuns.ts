// The eval runs that measured a prompt's versions, by content hash: one paged search for the
// prompt's path (what every run records), then a search per content hash for the versions not
// found that way (runs recorded under an earlier name). Counted runs are the ones the pass-rate
// CodeLens counts (promptPassRate.ts isPassRateRun); one suite and one model are compared, so a
// delta never mixes suites or models.
import type { Run, TrackingStore } from '../tracking/types';
import { allItems } from '../tracking/pages';
import { quoteFilterValue } from '../tracking/filter';
import { metricOf } from '../registry/linkedRuns';
import { PASS_RATE_METRIC } from '../registry/registryTags';
import { isPassRateRun } from '../eval/promptPassRate';
import { TAGS } from '../eval/runContext';

export interface MeasuredRun { runId: string; passRate: number; startTime: number; runName: string }

export interface VersionRuns {
  /** The suite compared (workspace-relative, as runs record it); undefined when there are no runs. */
  suite?: string;
  model?: string;
  /** Newest counted run of `suite` × `model` per content hash. */
  byHash: Map<string, MeasuredRun>;
}

const tagOf = (r: Run, key: string) => r.data.tags.find((t) => t.key === key)?.value;

async function searchAll(store: TrackingStore, experimentIds: string[], filter: string): Promise<Run[]> {
  if (experimentIds.length === 0) return [];
  return allItems((pageToken) => store.searchRuns({ experimentIds, filter, orderBy: ['attributes.start_time DESC'], maxResults: 1000, runViewType: 'ACTIVE_ONLY', pageToken }));
}

/** The value seen most often (ties: the first seen, i.e. the newest run's). */
function mostCommon(values: Array<string | undefined>): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

export async function findVersionRuns(
  store: TrackingStore,
  q: { relPath: string; hashes: readonly string[]; suite?: string; concurrency?: number },
): Promise<VersionRuns> {
  const experimentIds = (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).map((e) => e.experimentId);
  const wanted = new Set(q.hashes);
  const seen = new Map<string, Run>();
  const add = (runs: Run[]) => { for (const r of runs) if (isPassRateRun(r) && wanted.has(tagOf(r, TAGS.promptHash) ?? '')) seen.set(r.info.runId, r); };
  add(await searchAll(store, experimentIds, `tags."${TAGS.promptPath}" = ${quoteFilterValue(q.relPath)}`));
  const found = new Set([...seen.values()].map((r) => tagOf(r, TAGS.promptHash)));
  const rest = [...wanted].filter((h) => !found.has(h));
  for (let i = 0; i < rest.length; i += q.concurrency ?? 8) {
    const batch = rest.slice(i, i + (q.concurrency ?? 8));
    for (const runs of await Promise.all(batch.map((h) => searchAll(store, experimentIds, `tags."${TAGS.promptHash}" = ${quoteFilterValue(h)}`)))) add(runs);
  }

  const runs = [...seen.values()].sort((a, b) => b.info.startTime - a.info.startTime);
  const suite = q.suite ?? mostCommon(runs.map((r) => tagOf(r, TAGS.suite)));
  const ofSuite = runs.filter((r) => tagOf(r, TAGS.suite) === suite);
  const model = mostCommon(ofSuite.map((r) => tagOf(r, TAGS.model)));
  const byHash = new Map<string, MeasuredRun>();
  for (const r of ofSuite) {
    const hash = tagOf(r, TAGS.promptHash)!;
    if (tagOf(r, TAGS.model) !== model || byHash.has(hash)) continue; // newest first: keep the first
    byHash.set(hash, { runId: r.info.runId, passRate: metricOf(r, PASS_RATE_METRIC)!, startTime: r.info.startTime, runName: r.info.runName });
  }
  return { suite: ofSuite.length ? suite : q.suite, model, byHash };
}
