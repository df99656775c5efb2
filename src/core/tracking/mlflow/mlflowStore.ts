// The MLflow server backend as callers get it: the plain REST store (mlflowRestStore.ts) wrapped
// by the journal. Run writes (log-batch, set-tag, update), trace batches and dataset inputs go
// through JournaledRunWrites, so a write the server cannot take yet waits on disk and is delivered
// in order, exactly once, when it is back; every read and every other write goes straight through.
import type {
  ArtifactFile, CreateRunRequest, Experiment, LogBatch, Metric, ModelVersion, Page, RegisteredModel, Run, RunInfo,
  RunUpdate, SearchRunsRequest, ServerAuth, StoredTrace, Tag, TraceBatch, TrackingStore, ViewType,
} from '../types';
import { validateLogBatch, validateTag } from '../validation';
import type { DatasetInputSpec } from '../traces/datasetInput';
import type { MlflowHttp, MlflowHttpOptions } from './httpClient';
import { Journal, type JournalOp } from './journal';
import { JOURNALED, JournaledRunWrites } from './journaledRunWrites';
import { MlflowRestStore } from './mlflowRestStore';
import { LINKED_PROMPTS_TAG, addLinkedPrompt } from './promptTags';

export interface MlflowStoreOptions extends MlflowHttpOptions {
  /** Folder for writes made while the server is unreachable (e.g. <workspace>/.promptledger/journal). */
  journalDir?: string;
}

export class MlflowStore implements TrackingStore {
  readonly kind = 'mlflow' as const;
  readonly location: string;
  private readonly rest: MlflowRestStore;
  private readonly writes: JournaledRunWrites;

  constructor(opts: MlflowStoreOptions) {
    this.rest = new MlflowRestStore(opts);
    this.location = this.rest.location;
    this.writes = new JournaledRunWrites(opts.journalDir ? new Journal(opts.journalDir) : undefined, (op) => this.deliver(op));
  }

  /** The server connection (auth, TLS, retries), for readers of other MLflow APIs such as trace search. */
  get httpClient(): MlflowHttp {
    return this.rest.httpClient;
  }

  /** Number of writes waiting in the journal for the server. */
  pendingCount(): number {
    return this.writes.pendingCount();
  }

  /** Delivers journaled writes in order; returns how many were delivered. */
  flushJournal(): Promise<number> {
    return this.writes.flush();
  }

  /** One journaled write, as it goes to the server (the journal replays the same ops). */
  private async deliver(op: JournalOp): Promise<RunInfo | undefined> {
    switch (op.op) {
      case 'logBatch': await this.rest.logBatch(op.runId, op.batch); return undefined;
      case 'setTag': await this.rest.setTag(op.runId, op.key, op.value); return undefined;
      case 'updateRun': return this.rest.updateRun(op.runId, op.update);
      case 'traces': await this.rest.logTraces(op); return undefined;
      case 'datasetInput': await this.rest.logDatasetInput(op.runId, op.dataset); return undefined;
    }
  }

  // ---------------------------------------------------------------- journaled writes

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    // Checked before journaling, so a bad write fails now, not when the server is back.
    validateLogBatch(batch);
    if (!batch.metrics?.length && !batch.params?.length && !batch.tags?.length) return;
    await this.writes.write({ op: 'logBatch', runId, batch });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateTag({ key, value });
    await this.writes.write({ op: 'setTag', runId, key, value });
  }

  /** The updated run's info, or undefined when the update waits in the journal. */
  async updateRun(runId: string, update: RunUpdate): Promise<RunInfo | undefined> {
    const result = await this.writes.write({ op: 'updateRun', runId, update });
    return result === JOURNALED ? undefined : result;
  }

  async logTraces(batch: TraceBatch): Promise<void> {
    if (batch.traces.length === 0) return;
    await this.writes.write({ op: 'traces', ...batch });
  }

  async logDatasetInput(runId: string, dataset: DatasetInputSpec): Promise<void> {
    await this.writes.write({ op: 'datasetInput', runId, dataset });
  }

  async linkPromptToRun(runId: string, prompt: { name: string; version: string }): Promise<void> {
    // Read-modify-write of a run tag: the write goes through the journal like any set-tag.
    const run = await this.rest.getRun(runId);
    const current = run.data.tags.find((t) => t.key === LINKED_PROMPTS_TAG)?.value;
    const next = addLinkedPrompt(current, prompt);
    if (next !== current) await this.setTag(runId, LINKED_PROMPTS_TAG, next);
  }

  // ---------------------------------------------------------------- straight through

  createExperiment(name: string, tags?: Tag[]): Promise<string> { return this.rest.createExperiment(name, tags); }
  getExperiment(experimentId: string): Promise<Experiment> { return this.rest.getExperiment(experimentId); }
  getExperimentByName(name: string): Promise<Experiment | undefined> { return this.rest.getExperimentByName(name); }
  searchExperiments(opts?: { filter?: string; maxResults?: number; pageToken?: string; viewType?: ViewType }): Promise<Page<Experiment>> { return this.rest.searchExperiments(opts); }
  ensureExperiment(name: string, tags?: Tag[]): Promise<string> { return this.rest.ensureExperiment(name, tags); }

  createRun(req: CreateRunRequest): Promise<Run> { return this.rest.createRun(req); }
  getRun(runId: string): Promise<Run> { return this.rest.getRun(runId); }
  searchRuns(req: SearchRunsRequest): Promise<Page<Run>> { return this.rest.searchRuns(req); }
  deleteRun(runId: string): Promise<void> { return this.rest.deleteRun(runId); }
  restoreRun(runId: string): Promise<void> { return this.rest.restoreRun(runId); }
  getMetricHistory(runId: string, key: string): Promise<Metric[]> { return this.rest.getMetricHistory(runId, key); }

  uploadArtifact(runId: string, artifactPath: string, content: Uint8Array | string): Promise<void> { return this.rest.uploadArtifact(runId, artifactPath, content); }
  listArtifacts(runId: string, dir?: string): Promise<ArtifactFile[]> { return this.rest.listArtifacts(runId, dir); }
  downloadArtifact(runId: string, artifactPath: string): Promise<Uint8Array> { return this.rest.downloadArtifact(runId, artifactPath); }

  createRegisteredModel(name: string, opts?: { description?: string; tags?: Tag[] }): Promise<RegisteredModel> { return this.rest.createRegisteredModel(name, opts); }
  getRegisteredModel(name: string): Promise<RegisteredModel> { return this.rest.getRegisteredModel(name); }
  searchRegisteredModels(opts?: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<RegisteredModel>> { return this.rest.searchRegisteredModels(opts); }
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> { return this.rest.setRegisteredModelTag(name, key, value); }
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> { return this.rest.updateRegisteredModel(name, description); }
  createModelVersion(name: string, opts: { source: string; runId?: string; description?: string; tags?: Tag[] }): Promise<ModelVersion> { return this.rest.createModelVersion(name, opts); }
  getModelVersion(name: string, version: string): Promise<ModelVersion> { return this.rest.getModelVersion(name, version); }
  searchModelVersions(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<ModelVersion>> { return this.rest.searchModelVersions(opts); }
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> { return this.rest.setModelVersionTag(name, version, key, value); }
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> { return this.rest.updateModelVersion(name, version, description); }
  setAlias(name: string, alias: string, version: string): Promise<void> { return this.rest.setAlias(name, alias, version); }
  deleteAlias(name: string, alias: string): Promise<void> { return this.rest.deleteAlias(name, alias); }
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> { return this.rest.getModelVersionByAlias(name, alias); }
  transitionStage(name: string, version: string, stage: string, archiveExisting?: boolean): Promise<ModelVersion> { return this.rest.transitionStage(name, version, stage, archiveExisting); }

  searchRunTraces(req: { experimentId: string; runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> { return this.rest.searchRunTraces(req); }
  serverAuth(): Promise<ServerAuth | undefined> { return this.rest.serverAuth(); }
  close(): Promise<void> { return this.rest.close(); }
}
