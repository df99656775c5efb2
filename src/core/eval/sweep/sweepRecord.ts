// Step 3 of a sweep: record. The sweep is one parent run (kind `sweep-parent`) whose children are
// the trials' eval runs. At the end the parent gets the best trial's metrics (so run lists show
// what the sweep reached), its values, the report artifact and a status; the best trial is tagged.
import type { RunStatus, TrackingStore } from '../../tracking/types';
import { currentUser, mlflowSourceTags, relTo, tagList, TAGS } from '../runContext';
import { promptGitInfo } from '../gitInfo';
import type { LoadedSuite } from '../suiteLoader';
import type { SweepPlan } from './sweepPlan';
import { SWEEP_PARENT_KIND, SWEEP_REPORT_ARTIFACT, SWEEP_TAGS } from './sweepTags';
import type { SweepReport } from './sweepReport';

export async function createSweepParent(store: TrackingStore, experimentId: string, suite: LoadedSuite, plan: SweepPlan, workspaceRoot: string): Promise<string> {
  const suiteRel = relTo(workspaceRoot, suite.filePath);
  const user = currentUser();
  const git = (await promptGitInfo(suite.promptPaths)).get(suite.promptPaths[0]) ?? {};
  const runName = `${suite.name} · sweep (${plan.method}, ${plan.proposer.planned} trials)`;
  const objective = `${plan.objective.direction} ${plan.objective.metric}`;
  const parent = await store.createRun({
    experimentId, runName, startTime: Date.now(), userId: user,
    tags: [
      ...tagList({
        ...mlflowSourceTags({ runName, suiteRel, user, git: { headCommit: git.headCommit, branch: git.branch } }),
        [TAGS.suite]: suiteRel, [TAGS.kind]: SWEEP_PARENT_KIND, [SWEEP_TAGS.method]: plan.method, [SWEEP_TAGS.objective]: objective,
      }),
      ...Object.entries(suite.spec.tags ?? {}).map(([key, v]) => ({ key, value: String(v) })),
    ],
  });
  const runId = parent.info.runId;
  await store.logBatch(runId, {
    params: [
      { key: 'sweep.method', value: plan.method }, { key: 'sweep.seed', value: String(plan.seed) },
      { key: 'sweep.trials', value: String(plan.proposer.planned) }, { key: 'sweep.objective', value: objective },
      { key: 'sweep.constraints', value: plan.constraints.map((c) => c.text).join('; ') || '(none)' },
      { key: 'sweep.parameters', value: plan.dims.map((d) => d.name).join(',') },
    ],
  });
  return runId;
}

/** Logs a trial's swept values as params of its run (command parameters are in no other param). */
export async function logTrialParams(store: TrackingStore, runId: string, params: Record<string, unknown>): Promise<void> {
  await store.logBatch(runId, { params: Object.entries(params).map(([k, v]) => ({ key: `sweep.${k}`, value: String(v) })) });
}

export async function finishSweepParent(store: TrackingStore, runId: string, report: SweepReport, status: RunStatus): Promise<void> {
  const best = report.trials.find((t) => t.number === report.best);
  const now = Date.now();
  await store.uploadArtifact(runId, SWEEP_REPORT_ARTIFACT, `${JSON.stringify(report, null, 2)}\n`);
  if (best?.runId) {
    await store.setTag(best.runId, SWEEP_TAGS.best, 'true');
    await store.logBatch(runId, {
      metrics: Object.entries(best.metrics).map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
      tags: [
        { key: SWEEP_TAGS.bestRunId, value: best.runId }, { key: SWEEP_TAGS.bestParams, value: JSON.stringify(best.params) },
        { key: TAGS.passed, value: String(best.feasible) },
      ],
    });
  }
  await store.updateRun(runId, { status, endTime: now });
}
