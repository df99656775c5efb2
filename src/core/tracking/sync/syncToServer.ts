// Pushes the embedded store to a tracking server: experiments, runs (info, params, full metric
// history, tags, status, artifacts), registered models and prompts with their versions, tags and
// aliases. Idempotent and resumable:
//  - local id → remote id mappings are recorded in the embedded store's own log (crash-safe), per target;
//  - every remote run/version carries the tag `promptledger.syncedFrom`, so an entity created just
//    before a kill (mapping not yet recorded) is found and adopted instead of created twice;
//  - case traces and dataset inputs follow in their own phase (syncTraces.ts), merged by trace id;
//  - a run is marked done with a fingerprint of its content; unchanged runs are skipped, changed or
//    half-pushed runs are pushed again, which the server absorbs (same params, overwritten tags,
//    identical metric points deduplicated, artifacts overwritten).
import crypto from 'node:crypto';
import type { EmbeddedStore } from '../local/embeddedStore';
import { isTrackingError, TrackingError, type Experiment, type Run, type TrackingStore } from '../types';
import { allItems } from '../pages';
import { MLFLOW_TAG } from '../mlflowTags';
import { counts, SYNCED_FROM_TAG, SyncContext, type SyncProgress, type SyncReport, type SyncOptions } from './syncContext';
import { syncRegistry } from './syncRegistry';
import { syncTraces } from './syncTraces';
import { TRACE_ARTIFACT_DIR } from '../traces/traceJson';
import { DATASET_INPUTS_FILE } from '../local/embeddedTraces';

export { SYNCED_FROM_TAG, SyncAbortedError, type SyncCounts, type SyncOptions, type SyncProgress, type SyncReport } from './syncContext';

export async function syncStore(from: EmbeddedStore, to: TrackingStore, opts: SyncOptions = {}): Promise<SyncReport> {
  const report: SyncReport = {
    target: to.location, experiments: counts(), runs: counts(), artifacts: { uploaded: 0, skipped: 0 },
    registeredModels: counts(), modelVersions: counts(), aliases: counts(), traces: { sent: 0 }, warnings: [],
  };
  const ctx = new SyncContext(from, to, report, opts);
  const s = new Syncer(ctx);
  await s.experiments();
  await s.runs();
  await syncRegistry(ctx);
  await s.links();
  await syncTraces(ctx);
  return report;
}

class Syncer {
  private readonly from: EmbeddedStore;
  private readonly to: TrackingStore;
  private readonly report: SyncReport;
  private readonly runMap: Map<string, string>;
  private readonly expMap: Map<string, string>;
  private readonly versionMap: Map<string, string>;

  constructor(private readonly ctx: SyncContext) {
    ({ from: this.from, to: this.to, report: this.report, runMap: this.runMap, expMap: this.expMap, versionMap: this.versionMap } = ctx);
  }

  private checkAbort(): void { this.ctx.checkAbort(); }
  private progress(p: SyncProgress): void { this.ctx.progress(p); }
  private mapping(entity: string, localId: string): string | undefined { return this.ctx.mapping(entity, localId); }
  private remember(entity: string, localId: string, remoteId: string): Promise<void> { return this.ctx.remember(entity, localId, remoteId); }

  // ------------------------------------------------------------ experiments

  private async localExperiments(): Promise<Experiment[]> {
    const out = await allItems((pageToken) => this.from.searchExperiments({ maxResults: 50000, pageToken }));
    const only = this.ctx.opts.experimentIds;
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
            if (!isTrackingError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
            // Exists but deleted on the server (getExperimentByName hides it only on some servers).
            throw new TrackingError('RESOURCE_ALREADY_EXISTS', `Experiment '${e.name}' exists on ${this.ctx.target} but could not be used (deleted there?). Restore or rename it on the server, then sync again.`);
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
      // Traces and dataset inputs go to the server as traces and run inputs (syncTraces.ts).
      if (f.path.startsWith(`${TRACE_ARTIFACT_DIR}/`) || f.path === DATASET_INPUTS_FILE) continue;
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
    + `aliases ${c(r.aliases)}; ${r.artifacts.uploaded} artifacts uploaded; ${r.traces.sent} traces sent.${r.warnings.length ? ` ${r.warnings.length} warning(s) in the output log.` : ''}`;
}
