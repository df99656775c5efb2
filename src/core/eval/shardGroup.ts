// Shards on many machines, one MLflow server: every shard of a group (`--group <id>`) files its
// runs under one parent run, and the suite's metrics over all shards land on that parent.
//
// The parent: the first shard creates it (tagged with the group); the others find it by that tag.
// Two shards may create one at the same moment; each then re-reads the group and keeps the
// earliest (start time, then run id), deleting its own if it lost. A shard that raced and kept its
// own anyway (it read before the other's write was visible) is put right by the merge, which runs
// when every shard has finished: it re-parents every run of the group to the winner and deletes
// the other candidates, so the end state never depends on who raced whom.
//
// The merge (`eval --merge <group>`, or the last shard to finish): per model (and prompt), the
// latest FINISHED run of each shard i/n; their eval_results_table.json artifacts are read back
// into one aggregator, so the merged metrics are exactly those of one run over all cases.
import type { Run, TrackingStore } from '../tracking/types';
import { TAGS } from './runContext';
import { RunAggregator, checkThresholds, type ThresholdCheck } from './runMetrics';
import { RESULTS_TABLE_FILE, type ResultsTable } from './resultsTable';
import type { CaseRow } from './caseRow';
import { chunk } from './runContext';
import { quoteFilterValue } from '../tracking/filter';
import { allItems } from '../tracking/pages';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

const PARENT_KIND = 'eval-parent';
const q = quoteFilterValue;
const tagOf = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

async function searchAll(store: TrackingStore, experimentIds: string[], filter: string): Promise<Run[]> {
  const out: Run[] = [];
  for (const ids of chunk(experimentIds, 100)) {
    out.push(...await allItems((pageToken) => store.searchRuns({ experimentIds: ids, filter, orderBy: ['attributes.start_time ASC'], maxResults: 1000, pageToken })));
  }
  return out;
}

async function groupRuns(store: TrackingStore, experimentIds: string[], group: string, kind: string): Promise<Run[]> {
  return searchAll(store, experimentIds, `tags."${TAGS.group}" = ${q(group)} AND tags."${TAGS.kind}" = ${q(kind)}`);
}

/** The deterministic choice among parent candidates: earliest start, then smallest run id. */
function winner(parents: readonly Run[]): Run {
  return [...parents].sort((a, b) => a.info.startTime - b.info.startTime || a.info.runId.localeCompare(b.info.runId))[0];
}

/** The group's parent run in `experimentId`: found by its group tag, else created by `create`. */
export async function attachShardParent(store: TrackingStore, experimentId: string, group: string, create: () => Promise<string>): Promise<string> {
  const found = await groupRuns(store, [experimentId], group, PARENT_KIND);
  if (found.length) return winner(found).info.runId;
  const mine = await create();
  const now = await groupRuns(store, [experimentId], group, PARENT_KIND);
  const best = now.length ? winner(now).info.runId : mine;
  if (best !== mine) await store.deleteRun(mine);
  return best;
}

export interface MergedRunGroup {
  /** Model label, with the prompt path when the suite has several prompts. */
  key: string;
  shards: number;
  runIds: string[];
  metrics: Record<string, number>;
  thresholds: ThresholdCheck[];
}

export interface MergeOutcome {
  group: string;
  parentRunId?: string;
  /** Every shard of every model has a FINISHED run. */
  complete: boolean;
  /** What is missing, e.g. `openai:gpt-4o-mini shard 3/4 (KILLED)`. */
  missing: string[];
  merged: MergedRunGroup[];
  passed: boolean;
}

export class ShardGroupError extends Error {}

async function allExperimentIds(store: TrackingStore): Promise<string[]> {
  return (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).map((e) => e.experimentId);
}

/**
 * Merges the group when it is complete (and only then): metrics per model over all shards on the
 * parent run, which then ends FINISHED. Idempotent: two shards finishing together both write the
 * same values.
 */
export async function mergeShardGroup(store: TrackingStore, group: string, opts: { experimentIds?: string[] } = {}): Promise<MergeOutcome> {
  const experimentIds = opts.experimentIds ?? await allExperimentIds(store);
  const children = await groupRuns(store, experimentIds, group, 'eval');
  if (!children.length) throw new ShardGroupError(`No shard runs in group '${group}' on ${store.location}. Run the shards with --shard i/n --group ${group} first.`);
  const parents = await groupRuns(store, experimentIds, group, PARENT_KIND);
  if (!parents.length) throw new ShardGroupError(`Group '${group}' has shard runs but no parent run on ${store.location}.`);
  const parent = winner(parents);

  // Per model (and prompt): the latest FINISHED run of each shard index.
  const prompts = new Set(children.map((r) => tagOf(r, TAGS.promptPath)));
  const byKey = new Map<string, { count: number; runs: Map<number, Run>; seen: Map<number, Run> }>();
  for (const r of children) {
    const m = /^(\d+)\/(\d+)$/.exec(tagOf(r, TAGS.shard) ?? '');
    if (!m) continue;
    const label = tagOf(r, TAGS.model) ?? '?';
    const key = prompts.size > 1 ? `${tagOf(r, TAGS.promptPath)} · ${label}` : label;
    const e = byKey.get(key) ?? { count: Number(m[2]), runs: new Map(), seen: new Map() };
    byKey.set(key, e);
    e.count = Math.max(e.count, Number(m[2]));
    const i = Number(m[1]);
    e.seen.set(i, r); // ascending start time: the latest wins
    if (r.info.status === 'FINISHED') e.runs.set(i, r);
  }
  const missing: string[] = [];
  for (const [key, e] of byKey) {
    for (let i = 1; i <= e.count; i++) {
      if (!e.runs.has(i)) missing.push(`${key} shard ${i}/${e.count}${e.seen.has(i) ? ` (${e.seen.get(i)!.info.status})` : ' (not started)'}`);
    }
  }
  const outcome: MergeOutcome = { group, parentRunId: parent.info.runId, complete: missing.length === 0, missing, merged: [], passed: false };
  if (!outcome.complete) return outcome;

  // Settle the parent for good: every run of the group under the winner, the other candidates gone.
  for (const r of children) {
    if (tagOf(r, MLFLOW_TAG.parentRunId) !== parent.info.runId) await store.setTag(r.info.runId, MLFLOW_TAG.parentRunId, parent.info.runId);
  }
  for (const p of parents) if (p.info.runId !== parent.info.runId) await store.deleteRun(p.info.runId).catch(() => undefined);

  for (const [key, e] of byKey) {
    const runs = [...e.runs.values()];
    const first = runs[0];
    const repeat = Number(first.data.params.find((p) => p.key === 'repeat')?.value ?? 1);
    const passAtK = first.data.metrics.map((x) => /^pass_at_(\d+)$/.exec(x.key)).filter((x): x is RegExpExecArray => !!x).map((x) => Number(x[1]));
    const agg = new RunAggregator({ repeat, passAtK });
    for (const r of runs) {
      const table = JSON.parse(Buffer.from(await store.downloadArtifact(r.info.runId, RESULTS_TABLE_FILE)).toString('utf8')) as ResultsTable;
      for (const row of tableRows(table)) agg.add(row, row.caseId);
    }
    const metrics = agg.metrics();
    const thresholds: Record<string, number> = {};
    for (const p of first.data.params) if (p.key.startsWith('threshold.')) thresholds[p.key.slice('threshold.'.length)] = Number(p.value);
    outcome.merged.push({ key, shards: e.count, runIds: runs.map((r) => r.info.runId), metrics, thresholds: checkThresholds(metrics, thresholds) });
  }
  outcome.passed = outcome.merged.every((g) => g.thresholds.every((t) => t.pass));

  const now = Date.now();
  const single = outcome.merged.length === 1;
  const metrics = outcome.merged.flatMap((g) => Object.entries(g.metrics).map(([k, value]) => ({ key: single ? k : `${metricPrefix(g.key)}/${k}`, value, timestamp: now, step: 0 })));
  for (const batch of chunk(metrics, 500)) await store.logBatch(parent.info.runId, { metrics: batch });
  await store.logBatch(parent.info.runId, { tags: [{ key: TAGS.passed, value: String(outcome.passed) }, { key: 'promptledger.mergedShards', value: String(Math.max(...outcome.merged.map((g) => g.shards))) }] });
  await store.updateRun(parent.info.runId, { status: 'FINISHED', endTime: now });
  return outcome;
}

/** MLflow metric names allow letters, digits, _ - . / and spaces. */
function metricPrefix(key: string): string {
  return key.replace(/[^A-Za-z0-9_\-./ ]/g, '_');
}

/** A results table's rows back as the fields the aggregator reads. */
export function* tableRows(t: ResultsTable): Iterable<CaseRow & { caseId: string }> {
  const col = new Map(t.columns.map((c, i) => [c, i]));
  const at = (row: unknown[], name: string) => row[col.get(name) ?? -1];
  const scorers = t.columns.filter((c) => c.endsWith('/score')).map((c) => c.slice(0, -'/score'.length));
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  for (const row of t.data) {
    const error = at(row, 'error');
    yield {
      caseId: String(at(row, 'case_id')), caseIndex: -1, repeat: Number(at(row, 'repeat') ?? 0), vars: {},
      scores: scorers.flatMap((name) => {
        const score = at(row, `${name}/score`);
        return typeof score === 'number' ? [{ name, score, pass: true, reason: '', source: 'CODE' as const, weight: 1 }] : [];
      }),
      score: Number(at(row, 'score') ?? 0), pass: at(row, 'pass') === true,
      latencyMs: num(at(row, 'latency_ms')), inputTokens: num(at(row, 'input_tokens')), outputTokens: num(at(row, 'output_tokens')),
      costUsd: num(at(row, 'cost_usd')), cached: at(row, 'cached') === true,
      error: typeof error === 'string' ? { kind: error.split(':')[0], message: error } : undefined,
    };
  }
}
