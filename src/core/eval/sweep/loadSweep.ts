// Reads a sweep back from the tracking store for the panel: the parent's report artifact when the
// sweep has finished; otherwise (still running, or killed before its end) the report rebuilt from
// the trial runs recorded so far, scored with the objective and constraints the parent recorded.
import type { Run, TrackingStore } from '../../tracking/types';
import { TAGS } from '../runContext';
import { SWEEP_PARENT_KIND, SWEEP_REPORT_ARTIFACT, SWEEP_TAGS } from './sweepTags';
import { bestIndex, paretoFront, scoreTrial, type Constraint, type Direction } from './objective';
import { SWEEP_REPORT_VERSION, type SweepReport, type SweepTrial } from './sweepReport';

export class NotASweepError extends Error {
  constructor(run: Run) {
    super(`Run ${run.info.runName || run.info.runId} is not a sweep (its ${TAGS.kind} tag is ${tagOf(run, TAGS.kind) ?? 'missing'}); open a sweep's parent run.`);
    this.name = 'NotASweepError';
  }
}

function tagOf(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

export function isSweepParent(run: Run): boolean {
  return tagOf(run, TAGS.kind) === SWEEP_PARENT_KIND;
}

export async function loadSweepReport(store: TrackingStore, parentRunId: string): Promise<{ report: SweepReport; parent: Run }> {
  const parent = await store.getRun(parentRunId);
  if (!isSweepParent(parent)) throw new NotASweepError(parent);
  try {
    const bytes = await store.downloadArtifact(parentRunId, SWEEP_REPORT_ARTIFACT);
    const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as SweepReport;
    if (report.version === SWEEP_REPORT_VERSION) return { report, parent };
  } catch {
    // not written yet: rebuild from the trials
  }
  return { report: await rebuild(store, parent), parent };
}

async function rebuild(store: TrackingStore, parent: Run): Promise<SweepReport> {
  const children: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({ experimentIds: [parent.info.experimentId], filter: `tags.mlflow.parentRunId = '${parent.info.runId}'`, maxResults: 1000, pageToken });
    children.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  const [direction, metric] = (tagOf(parent, SWEEP_TAGS.objective) ?? 'maximize pass_rate').split(' ') as [Direction, string];
  const param = (k: string) => parent.data.params.find((p) => p.key === k)?.value;
  const constraintText = param('sweep.constraints');
  const constraints: Constraint[] = !constraintText || constraintText === '(none)' ? [] : constraintText.split('; ').map(parseConstraintText);
  const trials: SweepTrial[] = children.filter((r) => tagOf(r, SWEEP_TAGS.sweepRunId) === parent.info.runId).map((r) => {
    const metrics = Object.fromEntries(r.data.metrics.map((m) => [m.key, m.value]));
    const finished = r.info.status === 'FINISHED';
    const s = scoreTrial(finished ? metrics : undefined, { metric, direction }, constraints);
    return {
      number: Number(tagOf(r, SWEEP_TAGS.trial) ?? 0), runId: r.info.runId, params: JSON.parse(tagOf(r, SWEEP_TAGS.params) ?? '{}'),
      status: r.info.status, metrics, value: s.value, feasible: s.feasible, violated: s.violated,
    };
  }).sort((a, b) => a.number - b.number);
  const scores = trials.map((t) => scoreTrial(t.status === 'FINISHED' ? t.metrics : undefined, { metric, direction }, constraints));
  const b = bestIndex(scores, direction);
  const costMetric = trials.some((t) => (t.metrics['cost_usd/total'] ?? 0) > 0) ? 'cost_usd/total' : 'latency_ms/p50';
  const names = (param('sweep.parameters') ?? '').split(',').filter(Boolean);
  return {
    version: SWEEP_REPORT_VERSION, suite: tagOf(parent, TAGS.suite) ?? '', method: param('sweep.method') ?? '?', seed: Number(param('sweep.seed') ?? 0),
    objective: { metric, direction }, constraints: constraints.map((c) => c.text),
    parameters: names.map((name) => ({ name, values: [...new Set(trials.map((t) => t.params[name]))] })),
    trials, best: b >= 0 ? trials[b].number : undefined, costMetric,
    pareto: paretoFront(trials.map((t) => ({ quality: t.value, cost: t.metrics[costMetric] })), direction).map((i) => trials[i].number),
  };
}

function parseConstraintText(text: string): Constraint {
  const m = /^\s*(.+?)\s*(<=|>=|<|>)\s*(\S+)\s*$/.exec(text);
  return m ? { metric: m[1], op: m[2] as Constraint['op'], bound: Number(m[3]), text } : { metric: text, op: '<=', bound: Infinity, text };
}
