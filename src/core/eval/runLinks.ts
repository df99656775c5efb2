// Links between a run and the rest of the store: the registered prompt version with the same
// content (mlflow.linkedPrompts), and the previous run of the same suite and model (for the
// editor's "Open comparison with previous run").
import type { Run, TrackingStore } from '../tracking/types';
import { normalizedContentHash } from '../prompts/contentHash';
import { TAGS } from './runContext';

const CONTENT_HASH_TAG = 'promptledger.contentHash';
const PROMPT_TEXT_TAG = 'mlflow.prompt.text';

function quote(v: string): string {
  return `'${v.replace(/'/g, "\\'")}'`;
}

/** The registered version of prompt `name` whose content hash is `hash`, if any. Never throws. */
export async function findRegisteredPromptVersion(store: TrackingStore, name: string, hash: string): Promise<{ name: string; version: string } | undefined> {
  const matches = (tags: { key: string; value: string }[], text: string | undefined) => {
    const tagHash = tags.find((t) => t.key === CONTENT_HASH_TAG)?.value;
    return tagHash === hash || (tagHash === undefined && text !== undefined && normalizedContentHash(text) === hash);
  };
  // Model-version search carries the tags (embedded store); MLflow servers hide prompt versions
  // from it, so fall back to reading the prompt's versions one by one, newest first.
  try {
    const res = await store.searchModelVersions({ filter: `name = ${quote(name)}`, maxResults: 200 });
    const hit = res.items.find((mv) => matches(mv.tags, mv.tags.find((t) => t.key === PROMPT_TEXT_TAG)?.value));
    if (hit) return { name: hit.name, version: hit.version };
  } catch {
    // fall through
  }
  try {
    const latest = await store.getPrompt(name, { alias: 'latest' }).catch(() => undefined);
    let top = latest ? Number(latest.version) : NaN;
    if (!Number.isFinite(top)) {
      const found = await store.searchPrompts({ filter: `name = ${quote(name)}`, maxResults: 10 });
      const rm = found.items.find((r) => r.name === name);
      if (!rm) return undefined;
      top = Math.max(0, ...(rm.latestVersions ?? []).map((v) => Number(v.version)).filter(Number.isFinite));
      if (top === 0) {
        // No version list: probe upwards (registries of hand-made prompts are small).
        while (top < MAX_PROBE && await store.getPrompt(name, { version: String(top + 1) }).then(() => true, () => false)) top++;
      }
    }
    for (let v = top; v >= 1 && v > top - MAX_PROBE; v--) {
      const pv = await store.getPrompt(name, { version: String(v) }).catch(() => undefined);
      if (pv && matches(pv.tags, pv.template)) return { name, version: pv.version };
    }
  } catch {
    // no registry on this store, or the prompt was never registered
  }
  return undefined;
}

const MAX_PROBE = 50;

export interface PreviousRunQuery {
  experimentId: string;
  suite: string;
  model: string;
  /** Only runs that started before this run (exclusive). */
  before?: { runId: string; startTime: number };
}

/** The most recent earlier run of the same suite and model (FINISHED or KILLED), if any. */
export async function findPreviousRun(store: TrackingStore, q: PreviousRunQuery): Promise<Run | undefined> {
  const accept = (r: Run) => r.info.runId !== q.before?.runId
    && (q.before === undefined || r.info.startTime <= q.before.startTime)
    && (r.info.status === 'FINISHED' || r.info.status === 'KILLED')
    && r.data.tags.some((t) => t.key === TAGS.suite && t.value === q.suite)
    && r.data.tags.some((t) => t.key === TAGS.model && t.value === q.model);
  const base = { experimentIds: [q.experimentId], orderBy: ['attributes.start_time DESC'], maxResults: 50 };
  let runs: Run[];
  try {
    runs = (await store.searchRuns({ ...base, filter: `tags."${TAGS.suite}" = ${quote(q.suite)} AND tags."${TAGS.model}" = ${quote(q.model)}` })).items;
  } catch {
    // A backend whose filter cannot express this: filter here instead.
    runs = (await store.searchRuns(base)).items;
  }
  return runs.filter(accept).sort((a, b) => b.info.startTime - a.info.startTime)[0];
}

/**
 * For the editor's "Open comparison with previous run": the run and the previous run of the same
 * suite and model in its experiment, or undefined when it is the first.
 */
export async function compareWithPrevious(store: TrackingStore, runId: string): Promise<{ current: Run; previous?: Run }> {
  const current = await store.getRun(runId);
  const tag = (k: string) => current.data.tags.find((t) => t.key === k)?.value;
  const suite = tag(TAGS.suite);
  const model = tag(TAGS.model);
  if (!suite || !model) return { current };
  const previous = await findPreviousRun(store, { experimentId: current.info.experimentId, suite, model, before: { runId, startTime: current.info.startTime } });
  return { current, previous };
}
