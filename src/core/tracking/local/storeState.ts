// The embedded store's in-memory state: what replaying the snapshot and the log produces.
// apply() trusts its input: records are validated by the writer before they are appended, so every
// process replaying the same log reaches the same state.
import type { Metric } from '../types';
import type { ExperimentEntry, LogRecord, SerializedModel, SerializedRun, SerializedVersion } from './logRecords';
import { MLFLOW_TAG } from '../mlflowTags';

// The in-memory entities are their snapshot shapes (logRecords.ts) with maps in place of records,
// so a field is declared once and the snapshot cannot drift from the state.

export interface RunState extends Omit<SerializedRun, 'params' | 'tags' | 'metrics'> {
  params: Map<string, string>;
  tags: Map<string, string>;
  latest: Map<string, Metric>;
  history: Map<string, Metric[]>;
  /** Identical (key, value, timestamp, step) points are logged once, as MLflow's SQL store does. */
  seen: Set<string>;
}

export interface VersionState extends Omit<SerializedVersion, 'tags'> {
  name: string;
  tags: Map<string, string>;
}

export interface ModelState extends Omit<SerializedModel, 'tags' | 'aliases' | 'versions'> {
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: Map<string, VersionState>;
}

export const DEFAULT_EXPERIMENT_ID = '0';

export class StoreState {
  readonly experiments = new Map<string, ExperimentEntry>();
  readonly experimentsByName = new Map<string, ExperimentEntry>();
  readonly runs = new Map<string, RunState>();
  readonly runsByExperiment = new Map<string, Set<string>>();
  readonly models = new Map<string, ModelState>();
  /** target → `${entity}:${localId}` → remoteId */
  readonly syncMaps = new Map<string, Map<string, string>>();
  private maxExperimentId = 0;
  /** Bumped on every applied record; lets search results be cached until something changes. */
  version = 0;

  nextExperimentId(): string {
    return String(this.maxExperimentId + 1);
  }

  apply(r: LogRecord): void {
    this.version++;
    switch (r.t) {
      case 'multi':
        for (const x of r.records) this.apply(x);
        return;
      case 'exp.create':
        this.addExperiment({
          experimentId: r.id, name: r.name, lifecycleStage: 'active', creationTime: r.time, lastUpdateTime: r.time,
          tags: Object.fromEntries(r.tags.map((t) => [t.key, t.value])),
        });
        return;
      case 'snap.exp':
        this.addExperiment(r.exp);
        return;
      case 'run.create': {
        const run: RunState = {
          runId: r.runId, experimentId: r.experimentId, runName: r.runName, userId: r.userId, status: r.status,
          startTime: r.startTime, lifecycleStage: 'active', params: new Map(), tags: new Map(r.tags.map((t) => [t.key, t.value])),
          latest: new Map(), history: new Map(), seen: new Set(),
        };
        this.addRun(run);
        return;
      }
      case 'snap.run':
        this.addRun(runFromSerialized(r.run));
        return;
      case 'run.update': {
        const run = this.runs.get(r.runId);
        if (!run) return;
        if (r.status !== undefined) run.status = r.status;
        if (r.endTime !== undefined) run.endTime = r.endTime;
        if (r.runName !== undefined) {
          run.runName = r.runName;
          run.tags.set(MLFLOW_TAG.runName, r.runName);
        }
        return;
      }
      case 'run.delete': {
        const run = this.runs.get(r.runId);
        if (run) { run.lifecycleStage = 'deleted'; run.deletedTime = r.time; }
        return;
      }
      case 'run.restore': {
        const run = this.runs.get(r.runId);
        if (run) { run.lifecycleStage = 'active'; run.deletedTime = undefined; }
        return;
      }
      case 'run.batch': {
        const run = this.runs.get(r.runId);
        if (!run) return;
        for (const p of r.params ?? []) run.params.set(p.key, p.value);
        for (const t of r.tags ?? []) {
          run.tags.set(t.key, t.value);
          if (t.key === MLFLOW_TAG.runName) run.runName = t.value;
        }
        for (const m of r.metrics ?? []) addMetric(run, m);
        return;
      }
      case 'rm.create':
        this.models.set(r.name, {
          name: r.name, creationTimestamp: r.time, lastUpdatedTimestamp: r.time, description: r.description,
          tags: new Map(r.tags.map((t) => [t.key, t.value])), aliases: new Map(), versions: new Map(),
        });
        return;
      case 'snap.model':
        this.models.set(r.model.name, modelFromSerialized(r.model));
        return;
      case 'rm.tag': {
        const m = this.models.get(r.name);
        if (m) { m.tags.set(r.key, r.value); m.lastUpdatedTimestamp = r.time; }
        return;
      }
      case 'rm.update': {
        const m = this.models.get(r.name);
        if (m) { m.description = r.description; m.lastUpdatedTimestamp = r.time; }
        return;
      }
      case 'mv.create': {
        const m = this.models.get(r.name);
        if (!m) return;
        m.versions.set(r.version, {
          name: r.name, version: r.version, creationTimestamp: r.time, lastUpdatedTimestamp: r.time, description: r.description,
          source: r.source, runId: r.runId, currentStage: 'None', tags: new Map(r.tags.map((t) => [t.key, t.value])),
        });
        m.lastUpdatedTimestamp = r.time;
        return;
      }
      case 'mv.tag': {
        const v = this.models.get(r.name)?.versions.get(r.version);
        if (v) { v.tags.set(r.key, r.value); v.lastUpdatedTimestamp = r.time; }
        return;
      }
      case 'mv.update': {
        const v = this.models.get(r.name)?.versions.get(r.version);
        if (v) { v.description = r.description; v.lastUpdatedTimestamp = r.time; }
        return;
      }
      case 'mv.stage': {
        const m = this.models.get(r.name);
        const v = m?.versions.get(r.version);
        if (!m || !v) return;
        if (r.archiveExisting && (r.stage === 'Staging' || r.stage === 'Production')) {
          for (const other of m.versions.values()) {
            if (other !== v && other.currentStage === r.stage) { other.currentStage = 'Archived'; other.lastUpdatedTimestamp = r.time; }
          }
        }
        v.currentStage = r.stage;
        v.lastUpdatedTimestamp = r.time;
        m.lastUpdatedTimestamp = r.time;
        return;
      }
      case 'alias.set': {
        const m = this.models.get(r.name);
        if (m) m.aliases.set(r.alias, r.version);
        return;
      }
      case 'alias.delete':
        this.models.get(r.name)?.aliases.delete(r.alias);
        return;
      case 'sync.map':
        this.syncMap(r.target).set(`${r.entity}:${r.localId}`, r.remoteId);
        return;
      case 'snap.sync': {
        const map = this.syncMap(r.target);
        for (const [k, v] of Object.entries(r.map)) map.set(k, v);
        return;
      }
    }
  }

  syncMap(target: string): Map<string, string> {
    let m = this.syncMaps.get(target);
    if (!m) { m = new Map(); this.syncMaps.set(target, m); }
    return m;
  }

  /** The records a snapshot needs to rebuild this state exactly. */
  *snapshotRecords(): Generator<LogRecord> {
    for (const exp of this.experiments.values()) yield { t: 'snap.exp', exp };
    for (const run of this.runs.values()) yield { t: 'snap.run', run: serializeRun(run) };
    for (const model of this.models.values()) yield { t: 'snap.model', model: serializeModel(model) };
    for (const [target, map] of this.syncMaps) yield { t: 'snap.sync', target, map: Object.fromEntries(map) };
  }

  private addExperiment(exp: ExperimentEntry): void {
    this.experiments.set(exp.experimentId, exp);
    this.experimentsByName.set(exp.name, exp);
    const n = Number(exp.experimentId);
    if (Number.isInteger(n) && n > this.maxExperimentId) this.maxExperimentId = n;
    if (!this.runsByExperiment.has(exp.experimentId)) this.runsByExperiment.set(exp.experimentId, new Set());
  }

  private addRun(run: RunState): void {
    this.runs.set(run.runId, run);
    let set = this.runsByExperiment.get(run.experimentId);
    if (!set) { set = new Set(); this.runsByExperiment.set(run.experimentId, set); }
    set.add(run.runId);
  }
}

function addMetric(run: RunState, m: Metric): void {
  const id = `${m.key}\u0000${m.value}\u0000${m.timestamp}\u0000${m.step}`;
  if (run.seen.has(id)) return;
  run.seen.add(id);
  let h = run.history.get(m.key);
  if (!h) { h = []; run.history.set(m.key, h); }
  const metric: Metric = { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
  h.push(metric);
  const cur = run.latest.get(m.key);
  // MLflow's "latest" value is the one with the greatest (step, timestamp, value).
  if (!cur || m.step > cur.step || (m.step === cur.step && (m.timestamp > cur.timestamp || (m.timestamp === cur.timestamp && m.value > cur.value)))) {
    run.latest.set(m.key, metric);
  }
}

function serializeRun(run: RunState): SerializedRun {
  const metrics: SerializedRun['metrics'] = {};
  for (const [key, h] of run.history) metrics[key] = h.map((m) => [m.value, m.timestamp, m.step]);
  return {
    runId: run.runId, experimentId: run.experimentId, runName: run.runName, userId: run.userId, status: run.status,
    startTime: run.startTime, endTime: run.endTime, lifecycleStage: run.lifecycleStage, deletedTime: run.deletedTime,
    params: Object.fromEntries(run.params), tags: Object.fromEntries(run.tags), metrics,
  };
}

function runFromSerialized(s: SerializedRun): RunState {
  const run: RunState = {
    runId: s.runId, experimentId: s.experimentId, runName: s.runName, userId: s.userId, status: s.status, startTime: s.startTime,
    endTime: s.endTime, lifecycleStage: s.lifecycleStage, deletedTime: s.deletedTime,
    params: new Map(Object.entries(s.params)), tags: new Map(Object.entries(s.tags)), latest: new Map(), history: new Map(), seen: new Set(),
  };
  for (const [key, points] of Object.entries(s.metrics)) {
    for (const [value, timestamp, step] of points) addMetric(run, { key, value, timestamp, step });
  }
  return run;
}

function serializeModel(m: ModelState): SerializedModel {
  return {
    name: m.name, creationTimestamp: m.creationTimestamp, lastUpdatedTimestamp: m.lastUpdatedTimestamp, description: m.description,
    tags: Object.fromEntries(m.tags), aliases: Object.fromEntries(m.aliases),
    versions: [...m.versions.values()].map((v) => ({
      version: v.version, creationTimestamp: v.creationTimestamp, lastUpdatedTimestamp: v.lastUpdatedTimestamp, description: v.description,
      source: v.source, runId: v.runId, currentStage: v.currentStage, tags: Object.fromEntries(v.tags),
    })),
  };
}

function modelFromSerialized(s: SerializedModel): ModelState {
  const versions = new Map<string, VersionState>();
  for (const v of s.versions) versions.set(v.version, { ...v, name: s.name, tags: new Map(Object.entries(v.tags)) });
  return {
    name: s.name, creationTimestamp: s.creationTimestamp, lastUpdatedTimestamp: s.lastUpdatedTimestamp, description: s.description,
    tags: new Map(Object.entries(s.tags)), aliases: new Map(Object.entries(s.aliases)), versions,
  };
}
