// The pass-rate line on a prompt (CodeLens, hover): the last whole-suite eval run of exactly this
// content hash, and its difference to the last run of the version the `production` alias points
// at — `pass 92 % ▲4 vs production`. A prompt that was evaluated before but not in its current
// text reads `edited — not evaluated`. Never throws: no store, no runs, no registry → undefined.
import type { Run, TrackingStore } from '../tracking/types';
import { allItems } from '../tracking/pages';
import { quoteFilterValue } from '../tracking/filter';
import { normalizedContentHash } from '../prompts/contentHash';
import { getPrompt } from '../registry/promptStore';
import { metricOf } from '../registry/linkedRuns';
import { PASS_RATE_METRIC, TAG } from '../registry/registryTags';
import { TAGS } from './runContext';
import { isPartialRun } from './runLinks';

export const PRODUCTION_ALIAS = 'production';

export type PassRateStatus =
  | { kind: 'evaluated'; text: string; passRate: number; runId: string; production?: { version: string; passRate: number; runId: string } }
  | { kind: 'stale'; text: string; lastRunId: string };

export interface PassRateQuery {
  /** The prompt's registry name (for its `production` version). */
  name: string;
  contentHash: string;
  /** Workspace-relative path, as runs record it (TAGS.promptPath). */
  relPath: string;
}

/** A run whose pass rate speaks for its prompt text: finished, the whole suite, with a pass rate. */
export function isPassRateRun(r: Run): boolean {
  return r.info.status === 'FINISHED' && !isPartialRun(r) && metricOf(r, PASS_RATE_METRIC) !== null;
}

async function newestEvalRun(store: TrackingStore, experimentIds: string[], tag: string, value: string): Promise<Run | undefined> {
  if (experimentIds.length === 0) return undefined;
  const page = await store.searchRuns({
    experimentIds, filter: `tags."${tag}" = ${quoteFilterValue(value)}`, orderBy: ['attributes.start_time DESC'], maxResults: 50, runViewType: 'ACTIVE_ONLY',
  });
  return page.items
    .filter(isPassRateRun)
    .sort((a, b) => b.info.startTime - a.info.startTime)[0];
}

async function productionRun(store: TrackingStore, experimentIds: string[], name: string): Promise<{ version: string; run: Run } | undefined> {
  let hash: string;
  let version: string;
  try {
    const pv = await getPrompt(store, name, { alias: PRODUCTION_ALIAS });
    hash = pv.allTags.find((t) => t.key === TAG.contentHash)?.value ?? normalizedContentHash(pv.template);
    version = pv.version;
  } catch {
    return undefined; // not registered, or no production alias
  }
  const run = await newestEvalRun(store, experimentIds, TAGS.promptHash, hash);
  return run ? { version, run } : undefined;
}

const pct = (x: number) => Math.round(x * 100);

export function passRateText(passRate: number, production?: number): string {
  const base = `pass ${pct(passRate)} %`;
  if (production === undefined) return base;
  return `${base} ${passRateDeltaText(pct(passRate) - pct(production))} vs ${PRODUCTION_ALIAS}`;
}

/** A difference in percentage points: `▲4`, `▼25`, `±0`. */
export function passRateDeltaText(points: number): string {
  return points > 0 ? `▲${points}` : points < 0 ? `▼${-points}` : '±0';
}

export async function promptPassRate(store: TrackingStore, q: PassRateQuery): Promise<PassRateStatus | undefined> {
  try {
    const experimentIds = (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).map((e) => e.experimentId);
    const own = await newestEvalRun(store, experimentIds, TAGS.promptHash, q.contentHash);
    if (!own) {
      const earlier = await newestEvalRun(store, experimentIds, TAGS.promptPath, q.relPath);
      return earlier ? { kind: 'stale', text: 'edited — not evaluated', lastRunId: earlier.info.runId } : undefined;
    }
    const passRate = metricOf(own, PASS_RATE_METRIC)!;
    const prod = await productionRun(store, experimentIds, q.name);
    const prodRate = prod ? metricOf(prod.run, PASS_RATE_METRIC)! : undefined;
    return {
      kind: 'evaluated', text: passRateText(passRate, prodRate), passRate, runId: own.info.runId,
      production: prod && { version: prod.version, passRate: prodRate!, runId: prod.run.info.runId },
    };
  } catch {
    return undefined;
  }
}
