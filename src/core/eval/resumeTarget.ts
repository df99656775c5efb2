// Which run a resume (or a retry of errors) continues, and whether it may: the run must belong to
// this suite, must not be running, must have been recorded with a case journal, and its prompt,
// dataset and suite must be exactly what they are now (content hashes), or the resumed rows would
// mix two different evals under one run id.
import type { Run, TrackingStore } from '../tracking/types';
import { TrackingError } from '../tracking/types';
import { TAGS } from './runContext';
import { runLiveness, thisHost } from './runLiveness';
import { caseJournalPath } from './caseJournal';
import { loadInputTokens } from './checkedTokens';
import { latestRecords, readJournalHeader, recordedRowCount } from './journalScan';
import type { PlannedRun, SuitePlan } from './runPlan';
import { quoteFilterValue } from '../tracking/filter';

export type ResumeMode = 'resume' | 'retry-errors';

export interface ResumeRequest {
  mode: ResumeMode;
  /** Without one (resume only): the suite's latest interrupted or cancelled run. */
  runId?: string;
  /** When the prompt, dataset or suite changed (or nothing can be resumed): start a new run instead of refusing. */
  forceNew?: boolean;
}

/**
 * A refusal with its reason. `changed` refusals (hash mismatch, nothing resumable) give way to a
 * new run with --force-new; the others (still running, not this suite) never do.
 */
export class ResumeRefusedError extends Error {
  constructor(message: string, readonly changed: boolean) {
    super(message);
    this.name = 'ResumeRefusedError';
  }
}

export interface ResumeTarget {
  run: Run;
  planned: PlannedRun;
  /** Rows recorded so far (distinct row indexes in the journal). */
  done: number;
  /**
   * Per row, the sequence number of its latest journal record (latestRecords), read once here and
   * reused by the estimate and the recorder's reopen: each pass over a 25,000-case journal is ~60 ms.
   */
  latest: Int32Array;
  /**
   * The run's dataset check passed when it began, on the prompt, dataset and suite whose hashes
   * match now (its journal header says so): the resume need not check again.
   */
  checked: boolean;
  /** When checked: the check's input tokens per case, as saved when the run began (checkedTokens.ts). */
  inputTokens?: Uint32Array;
}

const short = (h: string | undefined) => (h ? h.slice(0, 12) : '(none)');

function tag(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

/** The suite's latest run that was cancelled (KILLED) or whose process died (interrupted). */
export async function findResumableRun(store: TrackingStore, plan: SuitePlan): Promise<Run | undefined> {
  const exp = await store.getExperimentByName(plan.suite.experiment);
  if (!exp) return undefined;
  const res = await store.searchRuns({
    experimentIds: [exp.experimentId], filter: `tags."${TAGS.suite}" = ${quoteFilterValue(plan.suiteRel)} AND tags."${TAGS.kind}" = 'eval'`,
    orderBy: ['attributes.start_time DESC'], maxResults: 100,
  });
  return res.items.find((r) => r.info.status === 'KILLED' || runLiveness(r).state === 'interrupted');
}

export async function resolveResumeTarget(store: TrackingStore, plan: SuitePlan, req: ResumeRequest, workspaceRoot: string): Promise<ResumeTarget> {
  const what = req.mode === 'resume' ? 'resume' : 'retry the errors of';
  let run: Run | undefined;
  if (req.runId) {
    try {
      run = await store.getRun(req.runId);
    } catch (e) {
      if (e instanceof TrackingError && e.code === 'RESOURCE_DOES_NOT_EXIST') throw new ResumeRefusedError(`Cannot ${what} run ${req.runId}: there is no such run in ${store.location}. Check the id (prompt-ledger runs lists them).`, false);
      throw e;
    }
  } else {
    if (req.mode !== 'resume') throw new ResumeRefusedError('--retry-errors needs a run id.', false);
    run = await findResumableRun(store, plan);
    if (!run) throw new ResumeRefusedError(`Nothing to resume: ${plan.suiteRel} has no interrupted or cancelled run in experiment '${plan.suite.experiment}'. Run it without --resume.`, true);
  }
  const id = run.info.runId;
  if (tag(run, TAGS.suite) !== plan.suiteRel || tag(run, TAGS.kind) !== 'eval') {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: it is not a run of ${plan.suiteRel} (its suite is ${tag(run, TAGS.suite) ?? 'not recorded'}). Name the suite it ran, or another run.`, false);
  }
  const live = runLiveness(run);
  if (live.state === 'running') {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: it is still running (pid ${tag(run, TAGS.ownerPid) ?? '?'} on ${tag(run, TAGS.ownerHost) ?? '?'}). Wait for it to end, or cancel it.`, false);
  }
  if (req.mode === 'resume' && run.info.status === 'FINISHED') {
    throw new ResumeRefusedError(`Cannot resume run ${id}: it finished. Use --retry-errors ${id} to re-run its errored cases, or run the suite again.`, false);
  }
  const planned = plan.runs.find((p) => p.prompt.rel === tag(run!, TAGS.promptPath) && p.label === tag(run!, TAGS.model));
  if (!planned) {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: its prompt ${tag(run, TAGS.promptPath) ?? '?'} with model ${tag(run, TAGS.model) ?? '?'} is not in ${plan.suiteRel} any more (or is excluded by --model).`, true);
  }
  if (tag(run, TAGS.ownerPid) === undefined || tag(run, TAGS.suiteHash) === undefined) {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: it was recorded by an older Prompt Ledger, without a case journal. Run the suite again.`, true);
  }
  const changes: string[] = [];
  if (tag(run, TAGS.promptHash) !== planned.prompt.hash) changes.push(`the prompt ${planned.prompt.rel} changed (content hash ${short(tag(run, TAGS.promptHash))} → ${short(planned.prompt.hash)})`);
  if (tag(run, TAGS.datasetHash) !== plan.dataset.hash) changes.push(`the dataset ${planned.id.datasetRel ?? '(inline)'} changed (hash ${short(tag(run, TAGS.datasetHash))} → ${short(plan.dataset.hash)})`);
  if (tag(run, TAGS.suiteHash) !== plan.suiteHash) changes.push(`the suite ${plan.suiteRel} changed (hash ${short(tag(run, TAGS.suiteHash))} → ${short(plan.suiteHash)})`);
  const repeat = run.data.params.find((p) => p.key === 'repeat')?.value;
  if (repeat !== undefined && repeat !== String(plan.repeat)) changes.push(`repeat is ${plan.repeat} now, the run used ${repeat}`);
  if (changes.length) {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: ${changes.join('; ')}. Its recorded cases would not match a new eval. Pass --force-new to start a new run instead.`, true);
  }

  const file = caseJournalPath(store, workspaceRoot, id);
  // The header and a count, read as a stream: a 50,000-row journal is not loaded to be counted.
  const header = readJournalHeader(file);
  const host = tag(run, TAGS.ownerHost);
  if (!header && store.kind === 'mlflow' && host !== thisHost()) {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: its case journal is on ${host ?? 'another machine'}, not here (${file}). Resume it there.`, false);
  }
  if (header && (header.total !== planned.total || header.runId !== id)) {
    throw new ResumeRefusedError(`Cannot ${what} run ${id}: its case journal (${file}) is for ${header.total} rows of run ${header.runId}, the suite has ${planned.total} now. Pass --force-new to start a new run.`, true);
  }
  const latest = latestRecords(file, planned.total);
  // The hashes were compared with the run's tags above (any change refuses the resume), and the
  // header is this run's: its `checked` holds for the content planned now.
  const checked = header?.checked === true;
  const inputTokens = checked ? loadInputTokens(file, plan.dataset.cases.length) : undefined;
  return { run, planned, done: recordedRowCount(latest), latest, checked, inputTokens };
}
