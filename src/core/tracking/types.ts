// The interfaces everything the extension records or shows goes through, one per concern (runs,
// artifacts, registry, traces) and TrackingStore for all of them. Shapes follow MLflow's REST
// entities (camel-cased) so the server backend maps 1:1 and the embedded store behaves the same way.
import type { CaseTrace } from './traces/caseTrace';
import type { PromptVersionRef } from './traces/caseTraceInput';
import type { DatasetInputSpec } from './traces/datasetInput';
import type { JournalTraceContext } from './traces/journalTraces';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Tag { key: string; value: string }
export interface Param { key: string; value: string }
export interface Metric { key: string; value: number; timestamp: number; step: number }

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation?: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId?: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri?: string;
  lifecycleStage: LifecycleStage;
}

export interface RunData {
  /** Latest value of each metric. */
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

export interface Run { info: RunInfo; data: RunData }

export interface Page<T> { items: T[]; nextPageToken?: string }

export interface SearchRunsRequest {
  experimentIds: string[];
  /** MLflow filter syntax subset: metrics.x > 0.8, params.model = 'a', tags."k" = 'v', attributes.status = 'FINISHED', joined by AND. */
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  /** e.g. ['metrics.pass_rate DESC', 'attributes.start_time DESC']; default start_time DESC. */
  orderBy?: string[];
  pageToken?: string;
}

export interface ArtifactFile { path: string; isDir: boolean; fileSize?: number }

export interface RegisteredModel {
  name: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  tags: Tag[];
  aliases: { alias: string; version: string }[];
  latestVersions?: ModelVersion[];
}

export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  source?: string;
  runId?: string;
  status?: string;
  /** Legacy stage (None/Staging/Production/Archived), read-only on most servers now. */
  currentStage?: string;
  tags: Tag[];
  aliases: string[];
}

export interface LogBatch { metrics?: Metric[]; params?: Param[]; tags?: Tag[] }

export interface CreateRunRequest {
  experimentId: string;
  runName?: string;
  startTime?: number;
  tags?: Tag[];
  userId?: string;
}

/** Typed errors both backends raise, mirroring MLflow's error codes. */
export type TrackingErrorCode =
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_PARAMETER_VALUE'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'UNAVAILABLE'
  | 'INTERNAL_ERROR';

export class TrackingError extends Error {
  constructor(readonly code: TrackingErrorCode, message: string, readonly httpStatus?: number) {
    super(message);
    this.name = 'TrackingError';
  }
}

/**
 * True for a TrackingError with one of `codes`, also when it comes from another bundle's copy of
 * the class (the extension loads core lazily in its own chunk; tests bundle their own).
 */
export function isTrackingError(e: unknown, ...codes: TrackingErrorCode[]): e is TrackingError {
  if (!(e instanceof Error) || e.name !== 'TrackingError') return false;
  return codes.length === 0 || codes.includes((e as TrackingError).code);
}

/** Where a store lives; every concern's interface below shares it. */
export interface StoreIdentity {
  /** 'mlflow' for a server over REST, 'embedded' for the workspace store. */
  readonly kind: 'mlflow' | 'embedded';
  /** Human-readable location: the server URL or the store folder. */
  readonly location: string;
}

/** Experiments and runs: what an eval run records and the runs views read. */
export interface RunStore extends StoreIdentity {
  // experiments
  createExperiment(name: string, tags?: Tag[]): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(opts?: { filter?: string; maxResults?: number; pageToken?: string; viewType?: ViewType }): Promise<Page<Experiment>>;
  /** Get by name, or create. */
  ensureExperiment(name: string, tags?: Tag[]): Promise<string>;

  // runs
  createRun(req: CreateRunRequest): Promise<Run>;
  /** The run's info after the update; undefined when the write was journaled (the server is away). */
  updateRun(runId: string, update: RunUpdate): Promise<RunInfo | undefined>;
  getRun(runId: string): Promise<Run>;
  searchRuns(req: SearchRunsRequest): Promise<Page<Run>>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
}

export interface RunUpdate { status?: RunStatus; endTime?: number; runName?: string }

/** A run's files; paths are relative to the run's artifact root, '/'-separated. */
export interface ArtifactStore extends StoreIdentity {
  uploadArtifact(runId: string, artifactPath: string, content: Uint8Array | string): Promise<void>;
  listArtifacts(runId: string, path?: string): Promise<ArtifactFile[]>;
  downloadArtifact(runId: string, artifactPath: string): Promise<Uint8Array>;
}

/** MLflow's model registry, where prompts live (conventions in src/core/registry/promptStore.ts). */
export interface RegistryStore extends StoreIdentity {
  createRegisteredModel(name: string, opts?: { description?: string; tags?: Tag[] }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(opts?: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<RegisteredModel>>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  createModelVersion(name: string, opts: { source: string; runId?: string; description?: string; tags?: Tag[] }): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  searchModelVersions(opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Promise<Page<ModelVersion>>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** Legacy stages; servers that no longer allow it raise INVALID_PARAMETER_VALUE. */
  transitionStage(name: string, version: string, stage: string, archiveExisting?: boolean): Promise<ModelVersion>;
  /** Adds {name, version} to the run's mlflow.linkedPrompts tag (a JSON list), keeping existing entries. */
  linkPromptToRun(runId: string, prompt: { name: string; version: string }): Promise<void>;
}

/** Finished traces of one run; ids come from the cases, so writing a batch again merges. */
export interface TraceBatch {
  runId: string;
  experimentId: string;
  traces: CaseTrace[];
  /** The registered prompt version every trace of the batch is linked to. */
  linkedPrompt?: PromptVersionRef;
}

/** One assessment of a trace as both backends read it back. */
export interface TraceAssessment {
  assessmentId: string;
  name: string;
  kind: 'feedback' | 'expectation';
  value: unknown;
  rationale?: string;
  sourceType: string;
  /** A feedback the scorer could not give (the case produced no output): MLflow's AssessmentError. */
  error?: { code: string; message: string };
}

/** A trace as a search returns it: its info and assessments, not its spans. */
export interface StoredTrace {
  traceId: string;
  experimentId: string;
  /** The run it was recorded for (mlflow.sourceRun). */
  runId?: string;
  state: string;
  /** Epoch ms. */
  requestTime: number;
  tags: Record<string, string>;
  assessments: TraceAssessment[];
}

/** Case traces with their assessments, and the run's dataset input. */
export interface TraceStore extends StoreIdentity {
  /** Writes the traces (spans, info, assessments, prompt link) and links them to the run; idempotent by trace and assessment id. */
  logTraces(batch: TraceBatch): Promise<void>;
  /** The run's dataset as a run input (runs/log-inputs); idempotent by name and digest. */
  logDatasetInput(runId: string, dataset: DatasetInputSpec): Promise<void>;
  /**
   * Only on a store that keeps eval runs' case journals with the runs (the embedded store): the
   * run's case traces are built from its journal when read, so the runner hands over only this
   * context instead of logging each trace (traces/journalTraces.ts).
   */
  logJournalTraces?(context: JournalTraceContext): Promise<void>;
  /** The run's traces, oldest request first, a page at a time. */
  searchRunTraces(req: { experimentId: string; runId: string; maxResults?: number; pageToken?: string }): Promise<Page<StoredTrace>>;
}

/** Every concern together, for callers that need all of them (the runner, sync, the extension). */
export interface TrackingStore extends RunStore, ArtifactStore, RegistryStore, TraceStore {
  /**
   * The signed-in user and their grants when the server enforces users (MLflow's basic-auth
   * app); undefined when it has no users. Only MLflow servers implement it.
   */
  serverAuth?(): Promise<ServerAuth | undefined>;

  close(): Promise<void>;
}

/** A permission grant as MLflow's auth app lists it; `pattern` is an id/name or '*'. */
export interface PermissionGrant { resourceType: string; pattern: string; permission: string }
export interface ServerAuth { username: string; isAdmin: boolean; grants: PermissionGrant[] }
