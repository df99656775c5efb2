// Tags a sweep writes, in one place (the eval run tags are runContext.ts TAGS; a sweep's parent
// run uses TAGS.kind = SWEEP_PARENT_KIND).
export const SWEEP_PARENT_KIND = 'sweep-parent';

export const SWEEP_TAGS = {
  /** On each trial run: the sweep's parent run id, the 1-based trial number and its values (JSON). */
  sweepRunId: 'promptledger.sweep.runId',
  trial: 'promptledger.sweep.trial',
  params: 'promptledger.sweep.params',
  /** On the best trial run: `true`. */
  best: 'promptledger.sweep.best',
  /** On the parent: the best trial's run id and values (JSON), and the objective as `maximize pass_rate`. */
  bestRunId: 'promptledger.sweep.bestRunId',
  bestParams: 'promptledger.sweep.bestParams',
  objective: 'promptledger.sweep.objective',
  method: 'promptledger.sweep.method',
} as const;

/** The parent's artifact with the whole trial table (sweepReport.ts SweepReport), read by the panel and the CLI. */
export const SWEEP_REPORT_ARTIFACT = 'sweep/sweep.json';
