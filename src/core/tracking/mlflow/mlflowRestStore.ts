// TrackingStore over a real MLflow server's REST API (/api/2.0/mlflow/...), served artifacts
// (/api/2.0/mlflow-artifacts/...) and traces (OTLP and /api/3.0/mlflow/traces). Plain REST: every
// call goes to the server (with the HTTP client's retries) or fails; MlflowStore (mlflowStore.ts)
// wraps it with the journal that keeps writes while the server is away.
import { TrackingError } from '../types';
import type {
  ServerAuth, StoredTrace, TraceBatch,
  ArtifactFile, CreateRunRequest, Experiment, LogBatch, Metric, ModelVersion, Page, RegisteredModel,
  Run, RunInfo, RunUpdate, SearchRunsRequest, Tag, TrackingStore, ViewType,
} from '../types';
import {
  validateAlias, validateArtifactPath, validateExperimentName, validateExperimentTag, validateLogBatch,
  validateRegistryTag, validateTag,
} from '../validation';
import { readServerAuth } from './authApi';
import { MlflowHttp } from './httpClient';
import type { MlflowHttpOptions, RetryPolicy } from './httpClient';
import { allItems } from '../pages';
import { splitLogBatch } from './batching';
import { MlflowTraceWriter } from '../traces/mlflowTraceWriter';
import { searchRunTraces } from '../traces/runTraceSearch';
import type { DatasetInputSpec } from '../traces/datasetInput';
import { readRunAnswer, readRunInfoAnswer, readSearchRunsAnswer } from './runReader';
import {
  responses, toExperiment, toMetric, toModelVersion, toRegisteredModel,
} from './schemas';
import {
  LINKED_PROMPTS_TAG, addLinkedPrompt,
} from './promptTags';
import type { z } from 'zod';

const API = 'api/2.0/mlflow/';
const ARTIFACTS_API = 'api/2.0/mlflow-artifacts/artifacts';

function parse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (!r.success) {
    throw new TrackingError('INTERNAL_ERROR', `Unexpected answer from the MLflow server for ${what}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

function encodePath(p: string): string {
  return p.split('/').filter(Boolean).map(encodeURIComponent).join('/');
}

export class MlflowRestStore implements TrackingStore {
  readonly kind = 'mlflow' as const;
  readonly location: string;
  private readonly http: MlflowHttp;
  private readonly traces: MlflowTraceWriter;
  private readonly artifactUris = new Map<string, string>();

  constructor(opts: MlflowHttpOptions) {
    this.http = new MlflowHttp(opts);
    this.location = this.http.displayUrl;
    this.traces = new MlflowTraceWriter(this.http);
  }

  /** The server connection (auth, TLS, retries), for writers of other MLflow APIs such as traces. */
  get httpClient(): MlflowHttp {
    return this.http;
  }

  /** A REST call: GET and DELETE carry the body as the query, the others as JSON. */
  private request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', endpoint: string, body?: Record<string, unknown>, retry?: RetryPolicy): Promise<unknown> {
    const opts = method === 'GET' || method === 'DELETE' ? { query: body as Record<string, string>, retry } : { json: body, retry };
    return this.http.request(method, API + endpoint, opts);
  }

  /** A REST call whose answer is checked against `schema`. */
  private call<S extends z.ZodType>(schema: S, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', endpoint: string, body?: Record<string, unknown>, retry?: RetryPolicy): Promise<z.infer<S>> {
    return this.request(method, endpoint, body, retry).then((data) => parse(schema, data, endpoint));
  }

  // ---------------------------------------------------------------- experiments

  async createExperiment(name: string, tags: Tag[] = []): Promise<string> {
    validateExperimentName(name);
    tags.forEach(validateExperimentTag);
    const r = await this.call(responses.createExperiment, 'POST', 'experiments/create', { name, tags });
    return r.experiment_id;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const r = await this.call(responses.experiment, 'GET', 'experiments/get', { experiment_id: experimentId });
    return toExperiment(r.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const r = await this.call(responses.experiment, 'GET', 'experiments/get-by-name', { experiment_name: name });
      return toExperiment(r.experiment);
    } catch (e) {
      if (e instanceof TrackingError && e.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw e;
    }
  }

  async searchExperiments(opts: { filter?: string; maxResults?: number; pageToken?: string; viewType?: ViewType } = {}): Promise<Page<Experiment>> {
    const r = await this.call(responses.searchExperiments, 'POST', 'experiments/search', {
      filter: opts.filter || undefined,
      max_results: opts.maxResults ?? 1000,
      page_token: opts.pageToken,
      view_type: opts.viewType,
    }, 'always');
    return { items: r.experiments.map(toExperiment), nextPageToken: r.next_page_token || undefined };
  }

  async ensureExperiment(name: string, tags?: Tag[]): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing.experimentId;
    try {
      return await this.createExperiment(name, tags);
    } catch (e) {
      // Another writer created it in between.
      if (e instanceof TrackingError && e.code === 'RESOURCE_ALREADY_EXISTS') {
        const again = await this.getExperimentByName(name);
        if (again) return again.experimentId;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- runs

  async createRun(req: CreateRunRequest): Promise<Run> {
    (req.tags ?? []).forEach(validateTag);
    const run = readRunAnswer(await this.http.request('POST', `${API}runs/create`, {
      json: {
        experiment_id: req.experimentId,
        run_name: req.runName,
        start_time: req.startTime ?? Date.now(),
        tags: req.tags ?? [],
        user_id: req.userId,
      },
      retry: 'unsent',
    }), 'runs/create');
    if (run.info.artifactUri) this.artifactUris.set(run.info.runId, run.info.artifactUri);
    return run;
  }

  async updateRun(runId: string, update: RunUpdate): Promise<RunInfo> {
    return readRunInfoAnswer(await this.request('POST', 'runs/update', {
      run_id: runId, status: update.status, end_time: update.endTime, run_name: update.runName,
    }, 'always'), 'runs/update');
  }

  async getRun(runId: string): Promise<Run> {
    const run = readRunAnswer(await this.http.request('GET', `${API}runs/get`, { query: { run_id: runId } }), 'runs/get');
    if (run.info.artifactUri) this.artifactUris.set(runId, run.info.artifactUri);
    return run;
  }

  async searchRuns(req: SearchRunsRequest): Promise<Page<Run>> {
    // Up to 1000 runs a page: read without zod (see runReader.ts), same checks and errors.
    const body = await this.http.request('POST', `${API}runs/search`, {
      json: {
        experiment_ids: req.experimentIds,
        filter: req.filter || undefined,
        run_view_type: req.runViewType ?? 'ACTIVE_ONLY',
        max_results: req.maxResults ?? 1000,
        order_by: req.orderBy,
        page_token: req.pageToken,
      },
      retry: 'always',
    });
    return readSearchRunsAnswer(body, 'runs/search');
  }

  async deleteRun(runId: string): Promise<void> {
    await this.request('POST', 'runs/delete', { run_id: runId }, 'always');
  }

  async restoreRun(runId: string): Promise<void> {
    await this.request('POST', 'runs/restore', { run_id: runId }, 'always');
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    validateLogBatch(batch);
    // Re-sending is safe: identical params are accepted and MLflow's SQL store ignores a metric
    // identical in key, value, step and timestamp.
    for (const chunk of splitLogBatch(batch)) {
      await this.request('POST', 'runs/log-batch', { run_id: runId, ...chunk }, 'always');
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateTag({ key, value });
    await this.request('POST', 'runs/set-tag', { run_id: runId, key, value }, 'always');
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return allItems(async (pageToken) => {
      const r = await this.call(responses.metricHistory, 'GET', 'metrics/get-history', { run_id: runId, metric_key: key, max_results: '25000', page_token: pageToken });
      return { items: r.metrics.map(toMetric), nextPageToken: r.next_page_token || undefined };
    });
  }

  // ---------------------------------------------------------------- traces

  logTraces(batch: TraceBatch): Promise<void> {
    return this.traces.writeTraces(batch);
  }

  logDatasetInput(runId: string, dataset: DatasetInputSpec): Promise<void> {
    return this.traces.logDatasetInput(runId, dataset);
  }

  searchRunTraces(req: { experimentId: string; runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>> {
    return searchRunTraces(this.http, req);
  }

  // ---------------------------------------------------------------- artifacts

  private async artifactRoot(runId: string): Promise<string> {
    let uri = this.artifactUris.get(runId);
    if (!uri) uri = (await this.getRun(runId)).info.artifactUri;
    if (!uri) throw new TrackingError('INTERNAL_ERROR', `Run ${runId} has no artifact location on ${this.location}.`);
    const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
    if (!m) {
      throw new TrackingError(
        'INVALID_PARAMETER_VALUE',
        `Run ${runId} stores artifacts at '${uri}', which ${this.location} does not proxy. Start the server with --serve-artifacts (the default) and a default artifact root of mlflow-artifacts:/, or use an experiment created on such a server.`,
      );
    }
    return m[1].replace(/\/+$/, '');
  }

  async uploadArtifact(runId: string, artifactPath: string, content: Uint8Array | string): Promise<void> {
    const rel = validateArtifactPath(artifactPath);
    const root = await this.artifactRoot(runId);
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    await this.http.request('PUT', `${ARTIFACTS_API}/${encodePath(`${root}/${rel}`)}`, { body, retry: 'always' });
  }

  async listArtifacts(runId: string, dir?: string): Promise<ArtifactFile[]> {
    const rel = validateArtifactPath(dir ?? '', true);
    const root = await this.artifactRoot(runId);
    const data = await this.http.request('GET', ARTIFACTS_API, { query: { path: rel ? `${root}/${rel}` : root } });
    const r = parse(responses.artifactList, data, 'mlflow-artifacts list');
    return r.files.map((f) => ({ path: rel ? `${rel}/${f.path}` : f.path, isDir: f.is_dir, fileSize: f.is_dir ? undefined : f.file_size }));
  }

  async downloadArtifact(runId: string, artifactPath: string): Promise<Uint8Array> {
    const rel = validateArtifactPath(artifactPath);
    const root = await this.artifactRoot(runId);
    return this.http.request<Uint8Array>('GET', `${ARTIFACTS_API}/${encodePath(`${root}/${rel}`)}`, { raw: true });
  }

  // ---------------------------------------------------------------- model registry

  async createRegisteredModel(name: string, opts: { description?: string; tags?: Tag[] } = {}): Promise<RegisteredModel> {
    (opts.tags ?? []).forEach(validateRegistryTag);
    const r = await this.call(responses.registeredModel, 'POST', 'registered-models/create', { name, description: opts.description, tags: opts.tags ?? [] });
    return toRegisteredModel(r.registered_model);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const r = await this.call(responses.registeredModel, 'GET', 'registered-models/get', { name });
    return toRegisteredModel(r.registered_model);
  }

  async searchRegisteredModels(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] } = {}): Promise<Page<RegisteredModel>> {
    const r = await this.call(responses.searchRegisteredModels, 'GET', 'registered-models/search', registrySearchQuery(opts, 100));
    return { items: r.registered_models.map(toRegisteredModel), nextPageToken: r.next_page_token || undefined };
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateRegistryTag({ key, value });
    await this.request('POST', 'registered-models/set-tag', { name, key, value }, 'always');
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    const r = await this.call(responses.registeredModel, 'PATCH', 'registered-models/update', { name, description }, 'always');
    return toRegisteredModel(r.registered_model);
  }

  async createModelVersion(name: string, opts: { source: string; runId?: string; description?: string; tags?: Tag[] }): Promise<ModelVersion> {
    (opts.tags ?? []).forEach(validateRegistryTag);
    const r = await this.call(responses.modelVersion, 'POST', 'model-versions/create', {
      name, source: opts.source, run_id: opts.runId, description: opts.description, tags: opts.tags ?? [],
    });
    return toModelVersion(r.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const r = await this.call(responses.modelVersion, 'GET', 'model-versions/get', { name, version });
    return toModelVersion(r.model_version);
  }

  async searchModelVersions(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<ModelVersion>> {
    const r = await this.call(responses.searchModelVersions, 'GET', 'model-versions/search', registrySearchQuery(opts, 1000));
    return { items: r.model_versions.map(toModelVersion), nextPageToken: r.next_page_token || undefined };
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    validateRegistryTag({ key, value });
    await this.request('POST', 'model-versions/set-tag', { name, version, key, value }, 'always');
  }

  async updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    const r = await this.call(responses.modelVersion, 'PATCH', 'model-versions/update', { name, version, description }, 'always');
    return toModelVersion(r.model_version);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    validateAlias(alias);
    await this.request('POST', 'registered-models/alias', { name, alias, version: String(version) }, 'always');
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    // MLflow reads this DELETE's arguments from a JSON body, like its own REST client sends them.
    await this.http.request('DELETE', `${API}registered-models/alias`, { json: { name, alias }, retry: 'always' });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    try {
      const r = await this.call(responses.modelVersion, 'GET', 'registered-models/alias', { name, alias });
      return toModelVersion(r.model_version);
    } catch (e) {
      // The server answers a missing alias with INVALID_PARAMETER_VALUE; callers need "not found".
      if (e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE' && /alias .* not found/i.test(e.message)) {
        throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Registered model '${name}' has no alias '${alias}'.`, e.httpStatus);
      }
      throw e;
    }
  }

  async transitionStage(name: string, version: string, stage: string, archiveExisting = false): Promise<ModelVersion> {
    const r = await this.call(responses.modelVersion, 'POST', 'model-versions/transition-stage', {
      name, version, stage, archive_existing_versions: archiveExisting,
    }, 'always');
    return toModelVersion(r.model_version);
  }

  // ---------------------------------------------------------------- prompts

  async linkPromptToRun(runId: string, prompt: { name: string; version: string }): Promise<void> {
    const run = await this.getRun(runId);
    const current = run.data.tags.find((t) => t.key === LINKED_PROMPTS_TAG)?.value;
    const next = addLinkedPrompt(current, prompt);
    if (next !== current) await this.setTag(runId, LINKED_PROMPTS_TAG, next);
  }

  serverAuth(): Promise<ServerAuth | undefined> {
    return readServerAuth(this.http);
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

/**
 * The query string of the registry searches (GET, unlike the POST run and experiment searches):
 * an empty filter is left out, as MLflow's client does.
 */
function registrySearchQuery(
  opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] },
  defaultMaxResults: number,
): Record<string, string | string[] | undefined> {
  return {
    filter: opts.filter || undefined,
    max_results: String(opts.maxResults ?? defaultMaxResults),
    page_token: opts.pageToken,
    order_by: opts.orderBy,
  };
}
