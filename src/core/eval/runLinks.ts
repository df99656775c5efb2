// Links between a run and the rest of the store: the registered prompt version with the same
// content (mlflow.linkedPrompts), and the previous run of the same suite and model (for the
// editor's "Open comparison with previous run").
import type { Run, TrackingStore } from '../tracking/types';
import { promptVersions } from '../registry/promptStore';
import { versionsOfFile } from '../registry/registryStatus';
import { TAGS } from './runContext';
import { quoteFilterValue } from '../tracking/filter';

/**
 * The registered version of prompt `name` that this prompt file is: the one with its content
 * hash, else (a file pulled from the registry, or a version made in MLflow's UI) the newest one
 * whose MLflow form — messages, model config, response format — equals the file's. Never throws.
 */
export async function findRegisteredPromptVersion(
  store: TrackingStore, name: string, hash: string, file?: { text: string; path: string },
): Promise<{ name: string; version: string } | undefined> {
  try {
    const versions = await promptVersions(store, name);
    const match = versionsOfFile(versions, { contentHash: hash, text: file?.text, path: file?.path })[0];
    return match ? { name, version: match.version } : undefined;
  } catch {
    // no registry on this store, the prompt was never registered, or it has no MLflow form
    return undefined;
  }
}

export interface PreviousRunQuery {
  experimentId: string;
  suite: string;
  model: string;
  /** Only runs that started before this run (exclusive). */
  before?: { runId: string; startTime: number };
}

/** A run of only some of its suite's cases: never a baseline nor a "previous run". */
export function isPartialRun(run: Run): boolean {
  return run.data.tags.some((t) => t.key === TAGS.partial);
}

/** The most recent earlier whole-suite run of the same suite and model (FINISHED or KILLED), if any. */
export async function findPreviousRun(store: TrackingStore, q: PreviousRunQuery): Promise<Run | undefined> {
  const accept = (r: Run) => r.info.runId !== q.before?.runId
    && (q.before === undefined || r.info.startTime <= q.before.startTime)
    && (r.info.status === 'FINISHED' || r.info.status === 'KILLED')
    && !isPartialRun(r)
    && r.data.tags.some((t) => t.key === TAGS.suite && t.value === q.suite)
    && r.data.tags.some((t) => t.key === TAGS.model && t.value === q.model);
  const base = { experimentIds: [q.experimentId], orderBy: ['attributes.start_time DESC'], maxResults: 50 };
  let runs: Run[];
  try {
    runs = (await store.searchRuns({ ...base, filter: `tags."${TAGS.suite}" = ${quoteFilterValue(q.suite)} AND tags."${TAGS.model}" = ${quoteFilterValue(q.model)}` })).items;
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
