// Step 3 of a run: record. A RunRecorder owns one MLflow run while it is filled: it creates the run
// (or takes over an interrupted one), keeps its case journal and heartbeat, hands each finished row
// to the journal, the run's tally (metrics and table, runTally.ts) and the case sinks (recordCase
// is the one hand-off point), and at the end writes metrics and artifacts covering every row the
// run ever recorded (a reopened run's tally starts from its journal).
import path from 'node:path';
import { TrackingError, type RunStatus, type TrackingStore } from '../tracking/types';
import type { CaseRow } from './caseRow';
import { checkThresholds } from './runMetrics';
import { loggedArtifactsTag, RESULTS_TABLE_FILE } from './resultsTable';
import { RunTally } from './runTally';
import { forEachLatestCase } from './journalScan';
import { saveInputTokens } from './checkedTokens';
import { chunk, runParams, runTags, TAGS } from './runContext';
import { findPreviousRun, findRegisteredPromptVersion } from './runLinks';
import { caseJournalPath, CaseJournalWriter } from './caseJournal';
import { ownerTags, startHeartbeat } from './runLiveness';
import type { PlannedRun, SuitePlan } from './runPlan';
import { caseInShard, shardLabel, shardRowCount, type ShardSpec } from './shards';
import type { CaseSink, EvalProgress, ModelRunResult, RunSuiteOptions, StopReason } from './runner';
import { caseTraceSink, type RunTraceSink, type TraceDelivery } from '../tracking/traces/traceSink';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

const PASS = 1;
const FAIL = 2;
const ERROR = 3;

export interface RecorderContext {
  plan: SuitePlan;
  run: PlannedRun;
  opts: RunSuiteOptions;
  experimentId: string;
  progress: EvalProgress;
  parentRunId?: string;
  /** This process fills only the shard's rows (`--shard i/n`). */
  shard?: ShardSpec;
}

export class RunRecorder {
  /** Per row index: 0 not recorded, else PASS/FAIL/ERROR (for progress counts, 1 byte a row). */
  private readonly state: Uint8Array;
  private done = 0;
  private heartbeat?: { stop(): Promise<void> };
  private readonly sinks: CaseSink[];
  private readonly traces: RunTraceSink;
  /** Taken over by reopen() (a resume): its setup writes only what is missing. */
  private reopened = false;
  /** Metrics and table so far; `stale` once a row was recorded twice (then finish() tallies the journal). */
  private tally: RunTally;
  private tallyStale = false;
  /** The run's case traces on their way to the store; settled once every batch was written or journaled. */
  tracesDelivered: Promise<TraceDelivery> = Promise.resolve({ traces: 0 });

  private constructor(
    private readonly c: RecorderContext,
    private readonly store: TrackingStore,
    readonly result: ModelRunResult,
    private readonly journal: CaseJournalWriter,
  ) {
    this.state = new Uint8Array(c.run.total);
    // Every run's cases also become traces of the run, on whichever backend the store is.
    this.traces = caseTraceSink(store, c, () => result.linkedPrompt);
    this.sinks = [...(c.opts.caseSinks ?? []), this.traces];
    this.tally = newTally(c);
  }

  get runId(): string { return this.result.runId; }

  /** Row indexes that still need a result (or, with `errorsOnly`, whose recorded result is an error); only the shard's. */
  pending(errorsOnly = false): number[] {
    const out: number[] = [];
    const { shard } = this.c;
    const repeat = this.c.plan.repeat;
    for (let i = 0; i < this.state.length; i++) {
      if (shard && !caseInShard(Math.floor(i / repeat), shard)) continue;
      if (errorsOnly ? this.state[i] === ERROR : this.state[i] === 0) out.push(i);
    }
    return out;
  }

  /** Rows this run is to have: all of the run's, or the shard's. */
  static rowsTotal(c: RecorderContext): number {
    return shardRowCount(c.run.total, c.plan.repeat, c.shard);
  }

  /** Creates a new run with its owner tags and an empty journal. */
  static async create(c: RecorderContext): Promise<RunRecorder> {
    const { store } = c.opts;
    const runName = c.shard ? `${c.run.runName} · shard ${shardLabel(c.shard)}` : c.run.runName;
    const shardTags = c.shard ? [{ key: TAGS.group, value: c.shard.group }, { key: TAGS.shard, value: shardLabel(c.shard) }] : [];
    const tags = [...runTags(c.run.id, runName, c.plan.user, c.parentRunId), { key: TAGS.suiteHash, value: c.plan.suiteHash }, ...shardTags, ...ownerTags(0, RunRecorder.rowsTotal(c))];
    const created = await store.createRun({ experimentId: c.experimentId, runName, startTime: Date.now(), userId: c.plan.user, tags });
    const runId = created.info.runId;
    const journal = await CaseJournalWriter.open(caseJournalPath(store, c.opts.workspaceRoot, runId), journalHeader(c, runId));
    if (c.run.prompt.inputTokens) saveInputTokens(journal.file, c.run.prompt.inputTokens);
    return new RunRecorder(c, store, newResult(c, runId, created.info.startTime), journal);
  }

  /**
   * Takes over an existing run (resume, retry errors): locks its journal first (so two processes
   * never fill one run), loads what it recorded, then marks the run RUNNING under this process.
   * `latest`: the journal's latestRecords, when the caller read it already (ResumeTarget.latest).
   */
  static async reopen(c: RecorderContext, runId: string, startTime: number, latest?: Int32Array): Promise<RunRecorder> {
    const { store } = c.opts;
    const file = caseJournalPath(store, c.opts.workspaceRoot, runId);
    const journal = await CaseJournalWriter.open(file, journalHeader(c, runId));
    const rec = new RunRecorder(c, store, newResult(c, runId, startTime), journal);
    rec.reopened = true;
    try {
      forEachLatestCase(file, rec.state.length, ({ i, row }) => {
        rec.count(i, row);
        rec.tally.add(i, row);
      }, latest);
      await store.logBatch(runId, { tags: ownerTags(rec.done, RunRecorder.rowsTotal(c)) });
      await store.updateRun(runId, { status: 'RUNNING' });
    } catch (e) {
      rec.tally.close();
      journal.close();
      throw e;
    }
    return rec;
  }

  /** Params, prompt and dataset snapshots, prompt link, heartbeat. On a reopened run, only what is missing. */
  async begin(): Promise<void> {
    const { store, c, runId } = this;
    const { id, prompt } = c.run;
    this.heartbeat = startHeartbeat(store, runId, () => this.done);
    // Independent writes go out together: each is a round trip to a server (~50 ms on MLflow's
    // default multi-worker server), and cases wait for begin(). Writes to the run itself stay in
    // one sequence (params, then the prompt link), the artifacts and the registry lookup beside it.
    const linked = findRegisteredPromptVersion(store, prompt.parsed.name, prompt.hash, { text: prompt.text, path: prompt.rel });
    linked.catch(() => undefined); // awaited below; a failure fails begin() there
    await Promise.all([
      (async () => {
        // A new run has no params yet; a reopened one logs only those it is missing.
        const logged = new Set(this.reopened ? (await store.getRun(runId)).data.params.map((p) => p.key) : []);
        const params = runParams(id).filter((p) => !logged.has(p.key));
        for (const batch of chunk(params, 100)) await store.logBatch(runId, { params: batch });
        const version = await linked;
        if (version) {
          await store.linkPromptToRun(runId, version).catch(() => undefined);
          this.result.linkedPrompt = version;
        }
      })(),
      store.uploadArtifact(runId, `prompt/${path.basename(prompt.path)}`, prompt.text),
      store.uploadArtifact(runId, `dataset/${id.dataset.fileName}`, id.dataset.snapshot()),
    ]);
  }

  /** A new tally from one streamed pass over the journal (latest record per row). */
  private retally(): void {
    this.tally.close();
    this.tally = newTally(this.c);
    forEachLatestCase(this.journal.file, this.state.length, ({ i, row }) => this.tally.add(i, row));
    this.tallyStale = false;
  }

  private count(i: number, row: CaseRow): void {
    const p = this.c.progress;
    const old = this.state[i];
    if (old === 0) {
      this.done++;
      p.done++;
    } else if (old === PASS) p.passed--;
    else {
      p.failed--;
      if (old === ERROR) p.errors--;
    }
    const now = row.error ? ERROR : row.pass ? PASS : FAIL;
    this.state[i] = now;
    if (now === PASS) p.passed++;
    else {
      p.failed++;
      if (now === ERROR) p.errors++;
    }
    p.passRate = p.done ? p.passed / p.done : 0;
  }

  /**
   * The hand-off point for every finished row: durable in the journal first, then counted, then
   * given to each case sink (trace writers and the like), in order, then reported as progress.
   * Synchronous unless a sink answers with a promise (then the rest waits for it).
   */
  recordCase(i: number, row: CaseRow): Promise<void> | undefined {
    this.journal.append(i, row);
    if (this.state[i] !== 0) this.tallyStale = true;
    else this.tally.add(i, row);
    this.count(i, row);
    return this.handToSinks(0, { runId: this.runId, experimentId: this.c.experimentId, index: i, row, model: this.c.run.label });
  }

  private handToSinks(from: number, e: Parameters<CaseSink['caseRecorded']>[0]): Promise<void> | undefined {
    for (let k = from; k < this.sinks.length; k++) {
      const pending = this.sinks[k].caseRecorded(e);
      if (pending) return pending.then(() => this.handToSinks(k + 1, e));
    }
    const p = this.c.progress;
    p.runId = this.runId;
    p.model = this.c.run.label;
    this.c.opts.onProgress?.({ ...p });
    return undefined;
  }

  /** Metrics, table, summary and final status from the journal; then the journal is marked delivered. */
  async finish(status: RunStatus, error?: string, stopReason?: StopReason): Promise<ModelRunResult> {
    const { store, result, c } = this;
    const { id } = c.run;
    result.status = status;
    if (error) result.error = error;
    if (stopReason) result.stopReason = stopReason;
    await this.heartbeat?.stop();
    try {
      this.journal.sync();
      if (this.tallyStale) this.retally();
      const { metrics: runMetrics, rows, failing, table } = this.tally.result();
      result.metrics = runMetrics;
      result.rows = rows;
      result.failing = failing;
      result.thresholds = checkThresholds(result.metrics, id.thresholds);
      result.passed = result.status === 'FINISHED' && result.thresholds.every((t) => t.pass);
      const now = Date.now();
      const metrics = Object.entries(result.metrics).map(([key, value]) => ({ key, value, timestamp: now, step: 0 }));
      const summary = {
        suite: id.suiteRel, model: result.model, prompt: { path: id.promptRel, name: id.promptName, hash: id.promptHash, version: id.git.version, commit: id.git.commit },
        dataset: { path: id.datasetRel ?? null, hash: id.dataset.hash, cases: id.dataset.cases.length }, repeat: id.repeat,
        status: result.status, stopReason: result.stopReason ?? null, error: result.error ?? null, passed: result.passed, metrics: result.metrics, thresholds: result.thresholds,
        rows: { total: RunRecorder.rowsTotal(c), recorded: result.metrics.case_count },
        linkedPrompt: result.linkedPrompt ?? null,
      };
      // As in begin(): the run's own writes in one sequence, the artifacts and the previous-run
      // lookup beside it; the final status goes last, once everything else is there.
      const [, , , previous] = await Promise.all([
        (async () => {
          for (const batch of chunk(metrics, 500)) await store.logBatch(result.runId, { metrics: batch });
          await store.logBatch(result.runId, {
            tags: [
              { key: MLFLOW_TAG.loggedArtifacts, value: loggedArtifactsTag([RESULTS_TABLE_FILE]) },
              { key: TAGS.passed, value: String(result.passed) },
              { key: TAGS.casesDone, value: String(this.done) },
              // Always written, so a resumed run that finishes no longer says "budget".
              { key: TAGS.stopReason, value: stopReason ?? (status === 'KILLED' ? 'cancelled' : status === 'FAILED' ? 'error' : 'completed') },
            ],
          });
        })(),
        store.uploadArtifact(result.runId, RESULTS_TABLE_FILE, table),
        store.uploadArtifact(result.runId, 'summary.json', JSON.stringify(summary, null, 2)),
        findPreviousRun(store, { experimentId: result.experimentId, suite: id.suiteRel, model: result.model, before: { runId: result.runId, startTime: result.startTime } }).catch(() => undefined),
      ]);
      result.previousRunId = previous?.info.runId;
      await store.updateRun(result.runId, { status: result.status === 'RUNNING' ? 'FINISHED' : result.status, endTime: Date.now() });
      this.journal.markDelivered(result.status);
    } catch (err) {
      const unreachable = err instanceof TrackingError && err.code === 'UNAVAILABLE';
      result.status = 'FAILED';
      result.passed = false;
      if (unreachable) {
        // Every case is in the case journal, undelivered: the run stays RUNNING (interrupted once
        // this process is gone) so a resume delivers it without calling the model again.
        result.error = `the MLflow server went away before the results were delivered (${(err as Error).message}). Every case result is kept in the case journal: resume run ${result.runId} (prompt-ledger eval --resume ${result.runId}, or Resume Run in the Runs view) when the server is back; no model call is repeated.`;
      } else {
        result.error = result.error ?? `could not record results: ${(err as Error).message}`;
        await store.updateRun(result.runId, { status: 'FAILED', endTime: Date.now() }).catch(() => undefined);
      }
    } finally {
      this.tally.close();
      const finished = { runId: result.runId, status: result.status, rows: result.rows };
      for (const s of this.sinks) {
        if (s === this.traces) continue;
        try {
          await s.runFinished?.(finished);
        } catch {
          // A sink never decides how the run ends.
        }
      }
      // Traces of the finished cases go out (or into the store's journal) whatever the run's end;
      // with deferTraces the caller has the results first and waits for the traces after.
      this.tracesDelivered = this.traces.runFinished(finished).then(() => this.traces.delivery());
      this.journal.close();
    }
    if (!this.c.opts.deferTraces) await this.tracesDelivered;
    return result;
  }
}

function newTally(c: RecorderContext): RunTally {
  return new RunTally({ totalRows: c.run.total, repeat: c.run.id.repeat, passAtK: c.run.id.suite.spec.pass_at_k, scorerNames: scorerColumns(c), keepRows: c.opts.keepRows !== false });
}

/** Column names: the suite's scorers, then the case-level ones (the dataset's `assert:`). */
function scorerColumns(c: RecorderContext): string[] {
  const names = new Set(c.run.id.scorerNames);
  for (const list of c.plan.caseScorers.values()) for (const s of list) names.add(s.name);
  return [...names];
}

function journalHeader(c: RecorderContext, runId: string) {
  return {
    runId, total: c.run.total, repeat: c.plan.repeat, promptHash: c.run.prompt.hash, datasetHash: c.plan.dataset.hash,
    suiteHash: c.plan.suiteHash, model: c.run.label, checked: !c.opts.noValidate,
  };
}

function newResult(c: RecorderContext, runId: string, startTime: number): ModelRunResult {
  return {
    runId, runName: c.run.runName, experimentId: c.experimentId, model: c.run.label, promptPath: c.run.prompt.path, promptHash: c.run.prompt.hash,
    startTime, status: 'RUNNING', metrics: {}, thresholds: [], passed: false, rows: [], failing: { count: 0, sample: [] },
  };
}
