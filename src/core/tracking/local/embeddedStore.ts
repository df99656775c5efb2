// The embedded tracking store: the default backend, a folder in the workspace (.promptledger/).
// No server, no Python, no native modules. Behaves like MLflow's server for everything in
// TrackingStore (errors, search semantics, ordering, paging); the on-disk format is ours and is
// documented in FORMAT.md. Durability and cross-process safety live in LogStore.
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { matchesFilterWith, parseFilter, parseOrderBy } from '../filter';
import { TrackingError } from '../types';
import type {
  ArtifactFile, CreateRunRequest, Experiment, LogBatch, Metric, ModelVersion, Page, RegisteredModel, Run, RunInfo,
  RunStatus, RunUpdate, SearchRunsRequest, StoredTrace, Tag, TraceBatch, TrackingStore, ViewType,
} from '../types';
import {
  validateAlias, validateExperimentName, validateExperimentTag, validateLogBatch, validateRegistryTag, validateTag,
} from '../validation';
import { ArtifactFiles } from './artifactFiles';
import {
  PROMPT_TAG, experimentView, isPrompt, modelView, runInfoView, runView, versionView,
} from './entityViews';
import type { LogRecord } from './logRecords';
import { LINKED_PROMPTS_TAG, addLinkedPrompt } from '../mlflow/promptTags';
import { LogStore, type LogStoreOptions } from './logStore';
import { checkMaxResults, decodePageToken, pageOf } from './paging';
import { generateRunName } from './runNames';
import type { RunState, StoreState } from './storeState';
import { activeRun, getModel, getRun, getVersion, invalid, nextVersion, notFound } from './stateLookups';
import { inView, searchExperimentsIn, searchModelsIn, searchModelVersionsIn, sortRuns } from './stateSearch';
import { MLFLOW_TAG } from '../mlflowTags';
import { checkFields, fieldValue, runFields } from './fieldTables';
import { logEmbeddedDatasetInput, logEmbeddedJournalTraces, logEmbeddedTraces, searchEmbeddedTraces } from './embeddedTraces';
import type { JournalTraceContext } from '../traces/journalTraces';
import type { DatasetInputSpec } from '../traces/datasetInput';

export const DEFAULT_STORE_DIR = '.promptledger';
const STAGES = ['None', 'Staging', 'Production', 'Archived'];
const RUN_STATUSES: RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

export type EmbeddedStoreOptions = LogStoreOptions;

export interface EmbeddedStore extends TrackingStore {
  readonly kind: 'embedded';
  /** Always the updated info: the embedded store never defers a write. */
  updateRun(runId: string, update: RunUpdate): Promise<RunInfo>;
  /** Random id of this store folder (manifest.json), used to tag what sync pushes. */
  readonly storeId: string;
  /** Folds the log into a snapshot now (it also happens on its own as the log grows). */
  compact(): Promise<void>;
  /** Sync bookkeeping (used by syncStore): local id → remote id per target server and entity kind. */
  getSyncMapping(target: string, entity: string, localId: string): string | undefined;
  setSyncMapping(target: string, entity: string, localId: string, remoteId: string): Promise<void>;
}

export async function openEmbeddedStore(dir: string, opts: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const abs = path.resolve(dir);
  const log = await LogStore.open(abs, opts);
  return new EmbeddedTrackingStore(abs, log);
}

class EmbeddedTrackingStore implements EmbeddedStore {
  readonly kind = 'embedded' as const;
  private readonly artifacts: ArtifactFiles;
  private readonly runFieldTable = runFields((r) => this.artifactUri(r.runId));

  constructor(readonly location: string, private readonly log: LogStore) {
    this.artifacts = new ArtifactFiles(path.join(location, 'artifacts'));
  }

  /** The state after reading what other processes appended since our last look (disk I/O). */
  private caughtUpState(): StoreState {
    this.log.catchUp();
    return this.log.state;
  }

  private artifactUri(runId: string): string {
    return pathToFileURL(this.artifacts.runRoot(runId)).href;
  }

  // ---------------------------------------------------------------- experiments

  async createExperiment(name: string, tags: Tag[] = []): Promise<string> {
    validateExperimentName(name);
    tags.forEach(validateExperimentTag);
    return this.log.write((s) => {
      if (s.experimentsByName.has(name)) throw new TrackingError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
      const id = s.nextExperimentId();
      return { record: { t: 'exp.create', id, name, tags, time: Date.now() }, result: id };
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const e = this.caughtUpState().experiments.get(experimentId);
    if (!e) throw notFound(`No Experiment with id=${experimentId} exists`);
    return experimentView(e);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const e = this.caughtUpState().experimentsByName.get(name);
    return e ? experimentView(e) : undefined;
  }

  async searchExperiments(opts: { filter?: string; maxResults?: number; pageToken?: string; viewType?: ViewType } = {}): Promise<Page<Experiment>> {
    return searchExperimentsIn(this.caughtUpState(), opts);
  }

  async ensureExperiment(name: string, tags?: Tag[]): Promise<string> {
    const existing = this.caughtUpState().experimentsByName.get(name);
    if (existing) return existing.experimentId;
    try {
      return await this.createExperiment(name, tags);
    } catch (e) {
      // Another process created it between our look-up and our write.
      if (e instanceof TrackingError && e.code === 'RESOURCE_ALREADY_EXISTS') return this.caughtUpState().experimentsByName.get(name)!.experimentId;
      throw e;
    }
  }

  // ---------------------------------------------------------------- runs

  async createRun(req: CreateRunRequest): Promise<Run> {
    const tags = req.tags ?? [];
    tags.forEach(validateTag);
    const tagName = tags.find((t) => t.key === MLFLOW_TAG.runName)?.value;
    if (req.runName && tagName && req.runName !== tagName) {
      throw invalid(`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${req.runName}', mlflow.runName='${tagName}').`);
    }
    const runName = req.runName || tagName || generateRunName();
    const runId = crypto.randomUUID().replace(/-/g, '');
    return this.log.write((s) => {
      const exp = s.experiments.get(req.experimentId);
      if (!exp) throw notFound(`No Experiment with id=${req.experimentId} exists`);
      if (exp.lifecycleStage !== 'active') throw invalid(`The experiment ${req.experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`);
      const allTags = [...tags.filter((t) => t.key !== MLFLOW_TAG.runName), { key: MLFLOW_TAG.runName, value: runName }];
      const record: LogRecord = {
        t: 'run.create', runId, experimentId: req.experimentId, runName, userId: req.userId, status: 'RUNNING',
        startTime: req.startTime ?? Date.now(), tags: allTags,
      };
      return { record, applied: (st) => runView(st.runs.get(runId)!, this.artifactUri(runId)) };
    });
  }

  async updateRun(runId: string, update: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) throw invalid(`Invalid run status '${update.status}'. Use one of ${RUN_STATUSES.join(', ')}.`);
    return this.log.write((s) => {
      activeRun(s, runId);
      return {
        record: { t: 'run.update', runId, status: update.status, endTime: update.endTime, runName: update.runName || undefined },
        applied: (st) => runInfoView(st.runs.get(runId)!, this.artifactUri(runId)),
      };
    });
  }

  async getRun(runId: string): Promise<Run> {
    return runView(getRun(this.caughtUpState(), runId), this.artifactUri(runId));
  }

  async searchRuns(req: SearchRunsRequest): Promise<Page<Run>> {
    const ast = parseFilter(req.filter);
    const order = parseOrderBy(req.orderBy);
    checkFields(this.runFieldTable, [...ast, ...order]);
    const size = checkMaxResults('SearchRuns', req.maxResults, 1000, 50000);
    const offset = decodePageToken(req.pageToken);
    const view = req.runViewType ?? 'ACTIVE_ONLY';
    const s = this.caughtUpState();
    // Paging through one query re-runs it per page; keep the last sorted result until the state changes.
    const cacheKey = JSON.stringify([[...new Set(req.experimentIds)], req.filter ?? '', req.orderBy ?? [], view]);
    let sorted = this.searchCache?.state === s && this.searchCache.version === s.version && this.searchCache.key === cacheKey ? this.searchCache.runs : undefined;
    if (!sorted) {
      const matched: RunState[] = [];
      for (const expId of new Set(req.experimentIds)) {
        for (const id of s.runsByExperiment.get(expId) ?? []) {
          const r = s.runs.get(id)!;
          if (inView(r.lifecycleStage, view) && (ast.length === 0 || matchesFilterWith(ast, (type, key) => fieldValue(this.runFieldTable, r, type, key)))) matched.push(r);
        }
      }
      sorted = sortRuns(matched, order, this.runFieldTable);
      this.searchCache = { state: s, version: s.version, key: cacheKey, runs: sorted };
    }
    return pageOf(sorted, offset, size, (r) => runView(r, this.artifactUri(r.runId)));
  }

  private searchCache?: { state: StoreState; version: number; key: string; runs: RunState[] };

  async deleteRun(runId: string): Promise<void> {
    await this.log.write((s) => {
      getRun(s, runId);
      return { record: { t: 'run.delete', runId, time: Date.now() }, result: undefined };
    });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.log.write((s) => {
      getRun(s, runId);
      return { record: { t: 'run.restore', runId }, result: undefined };
    });
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    validateLogBatch(batch);
    const metrics = (batch.metrics ?? []).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
    const params = dedupeParams(batch.params ?? []);
    const tags = batch.tags ?? [];
    if (!metrics.length && !params.length && !tags.length) {
      activeRun(this.caughtUpState(), runId);
      return;
    }
    await this.log.write((s) => {
      const run = activeRun(s, runId);
      for (const p of params) {
        const old = run.params.get(p.key);
        if (old !== undefined && old !== p.value) {
          throw invalid(`Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`);
        }
      }
      return { record: { t: 'run.batch', runId, metrics: metrics.length ? metrics : undefined, params: params.length ? params : undefined, tags: tags.length ? tags : undefined }, result: undefined };
    });
  }

  setTag(runId: string, key: string, value: string): Promise<void> { return this.logBatch(runId, { tags: [{ key, value }] }); }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const run = getRun(this.caughtUpState(), runId);
    const h = run.history.get(key) ?? [];
    // MLflow's SQL store returns history ordered by timestamp, then step.
    return [...h].sort((a, b) => a.timestamp - b.timestamp || a.step - b.step).map((m) => ({ ...m }));
  }

  // ---------------------------------------------------------------- artifacts

  async uploadArtifact(runId: string, artifactPath: string, content: Uint8Array | string): Promise<void> {
    getRun(this.caughtUpState(), runId);
    this.artifacts.write(runId, artifactPath, content);
  }

  async listArtifacts(runId: string, dirPath?: string): Promise<ArtifactFile[]> {
    getRun(this.caughtUpState(), runId);
    return this.artifacts.list(runId, dirPath);
  }

  async downloadArtifact(runId: string, artifactPath: string): Promise<Uint8Array> {
    getRun(this.caughtUpState(), runId);
    return this.artifacts.read(runId, artifactPath);
  }

  // ---------------------------------------------------------------- traces (kept with the run's files: embeddedTraces.ts)

  logTraces(batch: TraceBatch): Promise<void> { return logEmbeddedTraces(this, batch); }
  logJournalTraces(context: JournalTraceContext): Promise<void> { return logEmbeddedJournalTraces(this, context); }
  logDatasetInput(runId: string, dataset: DatasetInputSpec): Promise<void> { return logEmbeddedDatasetInput(this, runId, dataset); }
  searchRunTraces(req: { experimentId: string; runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> { return searchEmbeddedTraces(this, req); }

  // ---------------------------------------------------------------- model registry

  async createRegisteredModel(name: string, opts: { description?: string; tags?: Tag[] } = {}): Promise<RegisteredModel> {
    if (!name) throw invalid('Registered model name cannot be empty.');
    const tags = opts.tags ?? [];
    tags.forEach(validateRegistryTag);
    return this.log.write((s) => {
      if (s.models.has(name)) throw new TrackingError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
      return { record: { t: 'rm.create', name, time: Date.now(), description: opts.description, tags }, applied: (st) => modelView(st.models.get(name)!) };
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return modelView(getModel(this.caughtUpState(), name));
  }

  async searchRegisteredModels(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] } = {}): Promise<Page<RegisteredModel>> {
    const ast = parseFilter(opts.filter);
    // Like MLflow's client, plain model searches leave prompts out unless the filter asks about them.
    const wantsPrompts = ast.some((c) => c.type === 'tag' && c.key === PROMPT_TAG);
    return searchModelsIn(this.caughtUpState(), ast, opts, (m) => wantsPrompts || !isPrompt(m));
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateRegistryTag({ key, value });
    await this.log.write((s) => {
      getModel(s, name);
      return { record: { t: 'rm.tag', name, key, value, time: Date.now() }, result: undefined };
    });
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return this.log.write((s) => {
      getModel(s, name);
      return { record: { t: 'rm.update', name, description, time: Date.now() }, applied: (st) => modelView(st.models.get(name)!) };
    });
  }

  async createModelVersion(name: string, opts: { source: string; runId?: string; description?: string; tags?: Tag[] }): Promise<ModelVersion> {
    const tags = opts.tags ?? [];
    tags.forEach(validateRegistryTag);
    return this.log.write((s) => {
      const version = nextVersion(getModel(s, name));
      return { record: { t: 'mv.create', name, version, time: Date.now(), source: opts.source, runId: opts.runId, description: opts.description, tags }, applied: (st) => appliedVersion(st, name, version) };
    });
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const m = getModel(this.caughtUpState(), name);
    return versionView(m, getVersion(m, version));
  }

  async searchModelVersions(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<ModelVersion>> {
    return searchModelVersionsIn(this.caughtUpState(), opts);
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    validateRegistryTag({ key, value });
    await this.log.write((s) => {
      getVersion(getModel(s, name), version);
      return { record: { t: 'mv.tag', name, version, key, value, time: Date.now() }, result: undefined };
    });
  }

  async updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    return this.log.write((s) => {
      getVersion(getModel(s, name), version);
      return { record: { t: 'mv.update', name, version, description, time: Date.now() }, applied: (st) => appliedVersion(st, name, version) };
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    validateAlias(alias);
    await this.log.write((s) => {
      getVersion(getModel(s, name), version);
      return { record: { t: 'alias.set', name, alias, version, time: Date.now() }, result: undefined };
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    validateAlias(alias);
    await this.log.write((s) => {
      const m = getModel(s, name);
      // Deleting an alias that is not set is a no-op, as on the server.
      return { record: m.aliases.has(alias) ? { t: 'alias.delete', name, alias, time: Date.now() } : undefined, result: undefined };
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const m = getModel(this.caughtUpState(), name);
    const v = m.aliases.get(alias);
    if (v === undefined) throw notFound(`Registered model alias ${alias} not found.`);
    return versionView(m, getVersion(m, v));
  }

  async transitionStage(name: string, version: string, stage: string, archiveExisting = false): Promise<ModelVersion> {
    const canonical = STAGES.find((x) => x.toLowerCase() === stage.toLowerCase());
    if (!canonical) throw invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
    return this.log.write((s) => {
      getVersion(getModel(s, name), version);
      return { record: { t: 'mv.stage', name, version, stage: canonical, archiveExisting, time: Date.now() }, applied: (st) => appliedVersion(st, name, version) };
    });
  }

  // ---------------------------------------------------------------- prompts

  async linkPromptToRun(runId: string, prompt: { name: string; version: string }): Promise<void> {
    await this.log.write((s) => {
      const current = activeRun(s, runId).tags.get(LINKED_PROMPTS_TAG);
      const next = addLinkedPrompt(current, prompt);
      if (next === current) return { result: undefined };
      return { record: { t: 'run.batch', runId, tags: [{ key: LINKED_PROMPTS_TAG, value: next }] }, result: undefined };
    });
  }

  // ---------------------------------------------------------------- store-specific

  get storeId(): string {
    return this.log.storeId;
  }

  compact(): Promise<void> {
    return this.log.compact();
  }

  getSyncMapping(target: string, entity: string, localId: string): string | undefined {
    return this.caughtUpState().syncMaps.get(target)?.get(`${entity}:${localId}`);
  }

  async setSyncMapping(target: string, entity: string, localId: string, remoteId: string): Promise<void> {
    await this.log.write(() => ({ record: { t: 'sync.map', target, entity, localId, remoteId, time: Date.now() }, result: undefined }));
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** A model version as a write just left it. */
function appliedVersion(s: StoreState, name: string, version: string): ModelVersion {
  const m = s.models.get(name)!;
  return versionView(m, m.versions.get(version)!);
}

/** Same key and value twice in one batch is one param (validateLogBatch already refused conflicting values). */
function dedupeParams(params: { key: string; value: string }[]): { key: string; value: string }[] {
  const seen = new Set<string>();
  return params.filter((p) => (seen.has(p.key) ? false : (seen.add(p.key), true)));
}
