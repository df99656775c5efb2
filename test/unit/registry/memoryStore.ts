// A tiny in-memory TrackingStore for the registry's pure logic, until the embedded store lands.
// Only what the registry touches is implemented; everything else throws so a test that strays
// into unimplemented behaviour fails loudly instead of passing on a stub.
import { TrackingError } from '../../../src/core/tracking/types';
import type { ModelVersion, PromptVersion, RegisteredModel, Run, Tag, TrackingStore } from '../../../src/core/tracking/types';

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
    async registerPrompt(name, template, opts) {
      if (!models.has(name)) { models.set(name, { name, tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }], aliases: [] }); versions.set(name, []); }
      const list = versions.get(name)!;
      const mv: ModelVersion = {
        name, version: String(list.length + 1), description: opts?.commitMessage, creationTimestamp: Date.now(), currentStage: 'None', aliases: [],
        tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }, { key: 'mlflow.prompt.text', value: template }, ...(opts?.tags ?? [])],
      };
      list.push(mv);
      const pv: PromptVersion = { name, version: mv.version, template, commitMessage: opts?.commitMessage, tags: mv.tags, aliases: [] };
      return pv;
    },
    async searchModelVersions(opts) {
      const name = /name = '([^']*)'/.exec(opts.filter ?? '')?.[1];
      const all = [...versions.values()].flat().filter((mv) => !name || mv.name === name);
      return { items: all.map(withAliases) };
    },
    async getModelVersion(name, version) { const mv = versions.get(name)?.find((v) => v.version === version); if (!mv) throw missing(`Model version ${name}/${version}`); return withAliases(mv); },
    async setAlias(name, alias, version) { const m = model(name); m.aliases = [...m.aliases.filter((a) => a.alias !== alias), { alias, version }]; },
    async deleteAlias(name, alias) { const m = model(name); m.aliases = m.aliases.filter((a) => a.alias !== alias); },
    async searchPrompts() { return { items: [...models.values()] }; },
  };
  for (const n of ['createExperiment', 'getExperiment', 'getExperimentByName', 'updateRun', 'deleteRun', 'restoreRun', 'setTag', 'getMetricHistory', 'uploadArtifact', 'listArtifacts', 'downloadArtifact', 'createRegisteredModel', 'searchRegisteredModels', 'updateRegisteredModel', 'createModelVersion', 'setModelVersionTag', 'updateModelVersion', 'getModelVersionByAlias', 'transitionStage', 'getPrompt', 'linkPromptToRun'] as const) {
    (store as Record<string, unknown>)[n] = notImpl(n);
  }
  return store as Store;
}
