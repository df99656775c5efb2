// A tiny in-memory TrackingStore for the registry's pure logic (the registry's prompt conventions
// run on its plain registered-model and model-version calls, as on the real backends).
// Only what the registry touches is implemented; everything else throws so a test that strays
// into unimplemented behaviour fails loudly instead of passing on a stub.
import { TrackingError } from '../../../src/core/tracking/types';
import type { ModelVersion, RegisteredModel, Run, Tag, TrackingStore } from '../../../src/core/tracking/types';

type Store = TrackingStore & {
  addRun(run: Run): void;
  tagWrites: { key: string; value: string }[];
};

export function memoryStore(): Store {
  const runs: Run[] = [];
  const models = new Map<string, RegisteredModel>();
  const versions = new Map<string, ModelVersion[]>();
  const tagWrites: { key: string; value: string }[] = [];
  const missing = (what: string) => new TrackingError('RESOURCE_DOES_NOT_EXIST', `${what} not found`);
  const model = (name: string) => { const m = models.get(name); if (!m) throw missing(`Registered model '${name}'`); return m; };
  const withAliases = (mv: ModelVersion): ModelVersion => ({ ...mv, aliases: model(mv.name).aliases.filter((a) => a.version === mv.version).map((a) => a.alias) });
  const upsert = (tags: Tag[], key: string, value: string) => { const t = tags.find((x) => x.key === key); if (t) t.value = value; else tags.push({ key, value }); };
  const notImpl = (n: string) => () => { throw new Error(`memoryStore.${n} not implemented`); };

  const store: Partial<Store> = {
    kind: 'embedded',
    location: 'memory',
    tagWrites,
    addRun: (run) => { runs.push(run); },
    async ensureExperiment(name) { return name; },
    async close() {},
    async createRun(req) {
      const run: Run = { info: { runId: `run${runs.length + 1}`, runName: req.runName ?? '', experimentId: req.experimentId, status: 'RUNNING', startTime: req.startTime ?? Date.now(), lifecycleStage: 'active' }, data: { metrics: [], params: [], tags: [...(req.tags ?? [])] } };
      runs.push(run);
      return structuredClone(run);
    },
    async logBatch(id, batch) {
      const r = runs.find((x) => x.info.runId === id);
      if (!r) throw missing(`Run '${id}'`);
      r.data.metrics.push(...(batch.metrics ?? []));
      r.data.params.push(...(batch.params ?? []));
      for (const t of batch.tags ?? []) upsert(r.data.tags, t.key, t.value);
    },
    async searchExperiments() { return { items: [...new Set(runs.map((r) => r.info.experimentId))].map((experimentId) => ({ experimentId, name: experimentId, lifecycleStage: 'active' as const, tags: [] })) }; },
    async searchRuns(req) { return { items: runs.filter((r) => req.experimentIds.includes(r.info.experimentId)).sort((a, b) => b.info.startTime - a.info.startTime) }; },
    async getRun(id) { const r = runs.find((x) => x.info.runId === id); if (!r) throw missing(`Run '${id}'`); return r; },
    async getRegisteredModel(name) { return structuredClone(model(name)); },
    async setRegisteredModelTag(name, key, value) {
      if (value.length > 5000) throw new TrackingError('INVALID_PARAMETER_VALUE', `tag value too long (${value.length})`);
      tagWrites.push({ key, value });
      upsert(model(name).tags, key, value);
    },
    async createRegisteredModel(name, opts) {
      if (models.has(name)) throw new TrackingError('RESOURCE_ALREADY_EXISTS', `Registered model '${name}' already exists`);
      const m: RegisteredModel = { name, description: opts?.description, tags: [...(opts?.tags ?? [])], aliases: [] };
      models.set(name, m);
      versions.set(name, []);
      return structuredClone(m);
    },
    async createModelVersion(name, opts) {
      const list = versions.get(name);
      if (!list) throw missing(`Registered model '${name}'`);
      const mv: ModelVersion = { name, version: String(list.length + 1), description: opts.description, source: opts.source, creationTimestamp: Date.now(), currentStage: 'None', aliases: [], tags: [...(opts.tags ?? [])] };
      list.push(mv);
      return structuredClone(mv);
    },
    async searchModelVersions(opts) {
      const name = /name = '([^']*)'/.exec(opts.filter ?? '')?.[1];
      const all = [...versions.values()].flat().filter((mv) => !name || mv.name === name);
      return { items: all.map(withAliases) };
    },
    async getModelVersion(name, version) { const mv = versions.get(name)?.find((v) => v.version === version); if (!mv) throw missing(`Model version ${name}/${version}`); return withAliases(mv); },
    async setAlias(name, alias, version) { const m = model(name); m.aliases = [...m.aliases.filter((a) => a.alias !== alias), { alias, version }]; },
    async deleteAlias(name, alias) { const m = model(name); m.aliases = m.aliases.filter((a) => a.alias !== alias); },
    async searchRegisteredModels() { return { items: [...models.values()].map((m) => structuredClone(m)) }; },
  };
  for (const n of ['createExperiment', 'getExperiment', 'getExperimentByName', 'updateRun', 'deleteRun', 'restoreRun', 'setTag', 'getMetricHistory', 'uploadArtifact', 'listArtifacts', 'downloadArtifact', 'updateRegisteredModel', 'setModelVersionTag', 'updateModelVersion', 'getModelVersionByAlias', 'transitionStage', 'linkPromptToRun'] as const) {
    (store as Record<string, unknown>)[n] = notImpl(n);
  }
  return store as Store;
}
