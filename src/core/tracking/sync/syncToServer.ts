// Pushes the embedded store to a tracking server: experiments, runs (info, params, full metric
// history, tags, status, artifacts), registered models and prompts with their versions, tags and
// aliases. Idempotent and resumable:
//  - local id → remote id mappings are recorded in the embedded store's own log (crash-safe), per target;
//  - every remote run/version carries the tag `promptledger.syncedFrom`, so an entity created just
//    before a kill (mapping not yet recorded) is found and adopted instead of created twice;
//  - a run is marked done with a fingerprint of its content; unchanged runs are skipped, changed or
//    half-pushed runs are pushed again, which the server absorbs (same params, overwritten tags,
//    identical metric points deduplicated, artifacts overwritten).
import crypto from 'node:crypto';
import type { EmbeddedStore } from '../local/embeddedStore';
import { isPromptModel, searchPrompts } from '../../registry/promptStore';
import { TAG } from '../../registry/registryTags';
import { TrackingError } from '../types';
import type { Experiment, ModelVersion, RegisteredModel, Run, TrackingStore } from '../types';
import { quoteFilterValue } from '../filter';
import { allItems, eachItem } from '../pages';
import { MLFLOW_TAG } from '../mlflowTags';

export const SYNCED_FROM_TAG = 'promptledger.syncedFrom';

export interface SyncProgress {
  phase: 'experiments' | 'runs' | 'registry' | 'links';
  done: number;
  total: number;
  item?: string;
}

export interface SyncCounts { created: number; updated: number; skipped: number }

export interface SyncReport {
  target: string;
  experiments: SyncCounts;
  runs: SyncCounts;
  artifacts: { uploaded: number; skipped: number };
  registeredModels: SyncCounts;
  modelVersions: SyncCounts;
  aliases: SyncCounts;
  /** Problems that did not stop the sync (e.g. a model version source the server refuses). */
  warnings: string[];
}

export interface SyncOptions {
  onProgress?: (p: SyncProgress) => void;
  /** Aborting stops between entities; what was pushed so far is recorded, and the next sync resumes. */
  signal?: AbortSignal;
  /** Only these local experiments (default: all active ones). */
  experimentIds?: string[];
}

/** Raised when the signal aborts; `report` counts what was done before. */
export class SyncAbortedError extends Error {
  constructor(readonly report: SyncReport) {
    super('Sync aborted; run it again to resume where it stopped.');
    this.name = 'AbortError';
  }
}

const counts = (): SyncCounts => ({ created: 0, updated: 0, skipped: 0 });

export async function syncStore(from: EmbeddedStore, to: TrackingStore, opts: SyncOptions = {}): Promise<SyncReport> {
  const report: SyncReport = {
    target: to.location, experiments: counts(), runs: counts(), artifacts: { uploaded: 0, skipped: 0 },
    registeredModels: counts(), modelVersions: counts(), aliases: counts(), warnings: [],
  };
  const s = new Syncer(from, to, report, opts);
  await s.experiments();
  await s.runs();
  await s.registry();
  await s.links();
  return report;
}

class Syncer {
  private readonly target: string;
  /** local run id → remote run id, for runs seen in this sync (also filled from the store's mappings). */
  private readonly runMap = new Map<string, string>();
  private readonly expMap = new Map<string, string>();
  private readonly versionMap = new Map<string, string>();

  constructor(private readonly from: EmbeddedStore, private readonly to: TrackingStore, private readonly report: SyncReport, private readonly opts: SyncOptions) {
    this.target = to.location;
  }

  private checkAbort(): void {
    if (this.opts.signal?.aborted) throw new SyncAbortedError(this.report);
  }

  private progress(p: SyncProgress): void {
    this.opts.onProgress?.(p);
  }

  private mapping(entity: string, localId: string): string | undefined {
    return this.from.getSyncMapping(this.target, entity, localId);
  }

  private async remember(entity: string, localId: string, remoteId: string): Promise<void> {
    if (this.mapping(entity, localId) !== remoteId) await this.from.setSyncMapping(this.target, entity, localId, remoteId);
  }

  // ------------------------------------------------------------ experiments

  private async localExperiments(): Promise<Experiment[]> {
    const out = await allItems((pageToken) => this.from.searchExperiments({ maxResults: 50000, pageToken }));
    const only = this.opts.experimentIds;
    return out.filter((e) => !only || only.includes(e.experimentId)).sort((a, b) => Number(a.experimentId) - Number(b.experimentId));
  }

  async experiments(): Promise<void> {
    const exps = await this.localExperiments();
    let done = 0;
    for (const e of exps) {
      this.checkAbort();
      const mapped = this.mapping('experiment', e.experimentId);
      if (mapped) {
        this.expMap.set(e.experimentId, mapped);
        this.report.experiments.skipped++;
      } else {
        // Experiments are matched by name (unique on a server); "Default" is "0" on both sides.
        const remote = await this.to.getExperimentByName(e.name);
        let remoteId: string;
        if (remote) {
          remoteId = remote.experimentId;
          this.report.experiments.skipped++;
        } else {
          try {
            remoteId = await this.to.createExperiment(e.name, e.tags);
            this.report.experiments.created++;
          } catch (err) {
            if (!(err instanceof TrackingError && err.code === 'RESOURCE_ALREADY_EXISTS')) throw err;
            // Exists but deleted on the server (getExperimentByName hides it only on some servers).
            throw new TrackingError('RESOURCE_ALREADY_EXISTS', `Experiment '${e.name}' exists on ${this.target} but could not be used (deleted there?). Restore or rename it on the server, then sync again.`);
          }
        }
        await this.remember('experiment', e.experimentId, remoteId);
        this.expMap.set(e.experimentId, remoteId);
      }
      this.progress({ phase: 'experiments', done: ++done, total: exps.length, item: e.name });
    }
  }

  // ------------------------------------------------------------ runs

  private async allRuns(store: TrackingStore, experimentId: string, filter?: string): Promise<Run[]> {
    return allItems((pageToken) => store.searchRuns({ experimentIds: [experimentId], runViewType: 'ALL', maxResults: 1000, filter, orderBy: ['attributes.start_time ASC'], pageToken }));
  }

  async runs(): Promise<void> {
    const work: Array<{ run: Run; remoteExp: string }> = [];
    for (const [localExp, remoteExp] of this.expMap) {
      for (const run of await this.allRuns(this.from, localExp)) work.push({ run, remoteExp });
    }
    // Runs pushed by an earlier, interrupted sync whose mapping was not recorded yet.
    const adoptable = new Map<string, Map<string, string>>();
    const adoptableIn = async (remoteExp: string) => {
      let m = adoptable.get(remoteExp);
      if (!m) {
        m = new Map();
        for (const r of await this.allRuns(this.to, remoteExp, `tags.\`${SYNCED_FROM_TAG}\` LIKE '%'`)) {
          const from = r.data.tags.find((t) => t.key === SYNCED_FROM_TAG)?.value;
          if (from) m.set(from, r.info.runId);
        }
        adoptable.set(remoteExp, m);
      }
      return m;
    };
    let done = 0;
    for (const { run, remoteExp } of work) {
      this.checkAbort();
      const localId = run.info.runId;
      const fp = await this.fingerprint(run);
      let remoteId = this.mapping('run', localId);
      if (remoteId && this.mapping('runDone', localId) === fp) {
        this.runMap.set(localId, remoteId);
        this.report.runs.skipped++;
      } else {
        let created = false;
        if (!remoteId) {
          remoteId = (await adoptableIn(remoteExp)).get(localId);
          if (!remoteId) {
            const tags = run.data.tags.filter((t) => t.key !== MLFLOW_TAG.runName && t.key !== SYNCED_FROM_TAG);
            const remote = await this.to.createRun({
              experimentId: remoteExp, runName: run.info.runName, startTime: run.info.startTime, userId: run.info.userId,
              tags: [...tags, { key: SYNCED_FROM_TAG, value: localId }],
            });
            remoteId = remote.info.runId;
            created = true;
          }
          await this.remember('run', localId, remoteId);
        }
        this.runMap.set(localId, remoteId);
        await this.pushRun(run, remoteId, created);
        await this.remember('runDone', localId, fp);
        if (created) this.report.runs.created++;
        else this.report.runs.updated++;
      }
      this.progress({ phase: 'runs', done: ++done, total: work.length, item: run.info.runName });
    }
  }

  /** Content of a run that sync pushes; equal fingerprints mean nothing new to push. */
  private async fingerprint(run: Run): Promise<string> {
    const h = crypto.createHash('sha256');
    const sorted = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    h.update(JSON.stringify([run.info.runName, run.info.status, run.info.endTime, run.info.lifecycleStage, sorted(run.data.params), sorted(run.data.tags)]));
    for (const m of sorted(run.data.metrics)) h.update(JSON.stringify([m.key, (await this.from.getMetricHistory(run.info.runId, m.key)).length, m.value, m.step, m.timestamp]));
    for (const f of await listAll(this.from, run.info.runId)) h.update(JSON.stringify([f.path, f.fileSize]));
    return h.digest('hex');
  }

  private async pushRun(run: Run, remoteId: string, fresh: boolean): Promise<void> {
    const localId = run.info.runId;
    const wasDeleted = !fresh && (await this.to.getRun(remoteId)).info.lifecycleStage === 'deleted';
    if (wasDeleted) await this.to.restoreRun(remoteId);
    const metrics = [];
    for (const m of run.data.metrics) metrics.push(...(await this.from.getMetricHistory(localId, m.key)));
    const tags = run.data.tags.filter((t) => t.key !== SYNCED_FROM_TAG && !(fresh && t.key === MLFLOW_TAG.runName));
    // The remote store splits this into server-sized requests; re-sending is harmless (see top).
    await this.to.logBatch(remoteId, { params: run.data.params, tags: [...tags, { key: SYNCED_FROM_TAG, value: localId }], metrics });
    const remoteFiles = fresh ? new Map<string, number | undefined>() : new Map((await listAll(this.to, remoteId)).map((f) => [f.path, f.fileSize]));
    for (const f of await listAll(this.from, localId)) {
      this.checkAbort();
      if (remoteFiles.has(f.path) && remoteFiles.get(f.path) === f.fileSize) {
        this.report.artifacts.skipped++;
        continue;
      }
      await this.to.uploadArtifact(remoteId, f.path, await this.from.downloadArtifact(localId, f.path));
      this.report.artifacts.uploaded++;
    }
    if (run.info.status !== 'RUNNING' || run.info.endTime !== undefined || !fresh) {
      await this.to.updateRun(remoteId, { status: run.info.status, endTime: run.info.endTime, runName: run.info.runName });
    }
    if (run.info.lifecycleStage === 'deleted') await this.to.deleteRun(remoteId);
  }

  // ------------------------------------------------------------ registry

  private async localModels(): Promise<RegisteredModel[]> {
    const byName = new Map<string, RegisteredModel>();
    for (const search of [(t?: string) => this.from.searchRegisteredModels({ maxResults: 1000, pageToken: t }), (t?: string) => searchPrompts(this.from, { maxResults: 1000, pageToken: t })]) {
      for await (const m of eachItem(search)) byName.set(m.name, m);
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private async allVersions(store: TrackingStore, name: string, prompt = false): Promise<ModelVersion[]> {
    const out = new Map<string, ModelVersion>();
    const quoted = quoteFilterValue(name);
    // MLflow 3 servers leave prompt versions out of a plain version search unless the filter names the prompt tag.
    const filters = [`name = ${quoted}`, ...(prompt ? [`name = ${quoted} AND tags.\`${TAG.isPrompt}\` = 'true'`] : [])];
    for (const filter of filters) {
      for await (const v of eachItem((pageToken) => store.searchModelVersions({ filter, maxResults: 10000, pageToken }))) out.set(v.version, v);
    }
    return [...out.values()].sort((a, b) => Number(a.version) - Number(b.version));
  }

  private async remoteVersion(name: string, version: string): Promise<ModelVersion | undefined> {
    try {
      return await this.to.getModelVersion(name, version);
    } catch (e) {
      if (e instanceof TrackingError && e.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw e;
    }
  }

  async registry(): Promise<void> {
    const models = await this.localModels();
    let done = 0;
    for (const m of models) {
      this.checkAbort();
      await this.syncModel(m);
      this.progress({ phase: 'registry', done: ++done, total: models.length, item: m.name });
    }
  }

  private async syncModel(m: RegisteredModel): Promise<void> {
    let remote: RegisteredModel | undefined;
    try {
      remote = await this.to.getRegisteredModel(m.name);
    } catch (e) {
      if (!(e instanceof TrackingError && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e;
    }
    if (!remote) {
      remote = await this.to.createRegisteredModel(m.name, { description: m.description, tags: m.tags });
      this.report.registeredModels.created++;
    } else {
      let changed = false;
      for (const t of m.tags) {
        if (remote.tags.find((r) => r.key === t.key)?.value !== t.value) {
          await this.to.setRegisteredModelTag(m.name, t.key, t.value);
          changed = true;
        }
      }
      if (m.description && m.description !== remote.description) {
        await this.to.updateRegisteredModel(m.name, m.description);
        changed = true;
      }
      if (changed) this.report.registeredModels.updated++;
      else this.report.registeredModels.skipped++;
    }

    // Versions: matched by mapping, else by the syncedFrom tag (a version created just before a kill).
    const prompt = isPromptModel(m);
    const remoteVersions = await this.allVersions(this.to, m.name, prompt);
    const bySource = new Map<string, ModelVersion>();
    for (const v of remoteVersions) {
      const from = v.tags.find((t) => t.key === SYNCED_FROM_TAG)?.value;
      if (from) bySource.set(from, v);
    }
    const remoteByVersion = new Map(remoteVersions.map((v) => [v.version, v]));
    for (const v of await this.allVersions(this.from, m.name, prompt)) {
      this.checkAbort();
      const key = `${m.name}/${v.version}`;
      const origin = `${this.from.storeId}:${key}`;
      const mappedVersion = this.mapping('modelVersion', key);
      let rv = (mappedVersion && (remoteByVersion.get(mappedVersion) ?? (await this.remoteVersion(m.name, mappedVersion)))) || bySource.get(origin);
      const userTags = v.tags.filter((t) => t.key !== SYNCED_FROM_TAG);
      if (!rv) {
        try {
          rv = await this.to.createModelVersion(m.name, {
            source: this.remoteSource(v), runId: v.runId ? this.runMap.get(v.runId) ?? this.mapping('run', v.runId) : undefined,
            description: v.description, tags: [...userTags, { key: SYNCED_FROM_TAG, value: origin }],
          });
        } catch (e) {
          if (!(e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE')) throw e;
          this.report.warnings.push(`${m.name} version ${v.version} was not pushed: ${e.message}`);
          continue;
        }
        this.report.modelVersions.created++;
      } else {
        let changed = false;
        for (const t of userTags) {
          if (rv.tags.find((r) => r.key === t.key)?.value !== t.value) {
            await this.to.setModelVersionTag(m.name, rv.version, t.key, t.value);
            changed = true;
          }
        }
        if (v.description && v.description !== rv.description) {
          await this.to.updateModelVersion(m.name, rv.version, v.description);
          changed = true;
        }
        if (changed) this.report.modelVersions.updated++;
        else this.report.modelVersions.skipped++;
      }
      await this.remember('modelVersion', key, rv.version);
      this.versionMap.set(key, rv.version);
      if (v.currentStage && v.currentStage !== 'None' && v.currentStage !== rv.currentStage) {
        try {
          await this.to.transitionStage(m.name, rv.version, v.currentStage, false);
        } catch (e) {
          if (!(e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE')) throw e;
          this.report.warnings.push(`Stage ${v.currentStage} of ${m.name} version ${v.version} not set: ${e.message}`);
        }
      }
    }

    // Aliases point at the remote numbers of the same versions.
    const current = await this.to.getRegisteredModel(m.name);
    for (const a of m.aliases) {
      const target = this.versionMap.get(`${m.name}/${a.version}`);
      if (!target) continue;
      if (current.aliases.some((x) => x.alias === a.alias && x.version === target)) {
        this.report.aliases.skipped++;
        continue;
      }
      const existed = current.aliases.some((x) => x.alias === a.alias);
      await this.to.setAlias(m.name, a.alias, target);
      if (existed) this.report.aliases.updated++;
      else this.report.aliases.created++;
    }
  }

  /** A version's source as the server accepts it: local run artifact paths become runs:/<remote run>/<path>. */
  private remoteSource(v: ModelVersion): string {
    const source = v.source ?? 'dummy-source';
    if (v.runId && source.startsWith('file:')) {
      const remoteRun = this.runMap.get(v.runId) ?? this.mapping('run', v.runId);
      const marker = `/artifacts/${v.runId}`;
      const i = source.indexOf(marker);
      if (remoteRun && i >= 0) return `runs:/${remoteRun}${source.slice(i + marker.length) || '/'}`;
    }
    return source;
  }

  // ------------------------------------------------------------ prompt links on runs

  /** mlflow.linkedPrompts names local version numbers; rewrite them where the server numbered differently. */
  async links(): Promise<void> {
    for (const [localId, remoteId] of this.runMap) {
      const run = await this.from.getRun(localId);
      const tag = run.data.tags.find((t) => t.key === MLFLOW_TAG.linkedPrompts)?.value;
      if (!tag) continue;
      let list: Array<{ name: string; version: string }>;
      try {
        list = JSON.parse(tag) as typeof list;
      } catch {
        continue;
      }
      if (!Array.isArray(list)) continue;
      const mapped = list.map((p) => ({ name: p.name, version: this.versionMap.get(`${p.name}/${p.version}`) ?? String(p.version) }));
      const value = JSON.stringify(mapped);
      if (value !== tag) await this.to.setTag(remoteId, MLFLOW_TAG.linkedPrompts, value);
    }
  }
}

async function listAll(store: TrackingStore, runId: string, dir?: string): Promise<Array<{ path: string; fileSize?: number }>> {
  const out: Array<{ path: string; fileSize?: number }> = [];
  for (const f of await store.listArtifacts(runId, dir)) {
    if (f.isDir) out.push(...(await listAll(store, runId, f.path)));
    else out.push({ path: f.path, fileSize: f.fileSize });
  }
  return out;
}

/** One sentence for people: what a sync did, per kind of entity. */
export function describeSyncReport(r: SyncReport): string {
  const c = (x: { created: number; updated: number; skipped: number }) => `${x.created} new, ${x.updated} updated, ${x.skipped} unchanged`;
  return `synced to ${r.target}: runs ${c(r.runs)}; experiments ${c(r.experiments)}; prompts/models ${c(r.registeredModels)}; versions ${c(r.modelVersions)}; `
    + `aliases ${c(r.aliases)}; ${r.artifacts.uploaded} artifacts uploaded.${r.warnings.length ? ` ${r.warnings.length} warning(s) in the output log.` : ''}`;
}
