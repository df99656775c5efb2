// The registry phase of a sync: registered models and prompts, matched by name; versions matched
// by the recorded mapping, else by their syncedFrom tag (a version created just before a kill);
// tags, descriptions and stages brought up to date; aliases pointed at the remote numbers.
import { isPromptModel, searchPrompts } from '../../registry/promptStore';
import { TAG } from '../../registry/registryTags';
import { quoteFilterValue } from '../filter';
import { eachItem } from '../pages';
import { isTrackingError } from '../types';
import type { ModelVersion, RegisteredModel, TrackingStore } from '../types';
import { SYNCED_FROM_TAG, type SyncContext } from './syncContext';

async function localModels(ctx: SyncContext): Promise<RegisteredModel[]> {
  const byName = new Map<string, RegisteredModel>();
  for (const search of [(t?: string) => ctx.from.searchRegisteredModels({ maxResults: 1000, pageToken: t }), (t?: string) => searchPrompts(ctx.from, { maxResults: 1000, pageToken: t })]) {
    for await (const m of eachItem(search)) byName.set(m.name, m);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function allVersions(store: TrackingStore, name: string, prompt = false): Promise<ModelVersion[]> {
  const out = new Map<string, ModelVersion>();
  const quoted = quoteFilterValue(name);
  // MLflow 3 servers leave prompt versions out of a plain version search unless the filter names the prompt tag.
  const filters = [`name = ${quoted}`, ...(prompt ? [`name = ${quoted} AND tags.\`${TAG.isPrompt}\` = 'true'`] : [])];
  for (const filter of filters) {
    for await (const v of eachItem((pageToken) => store.searchModelVersions({ filter, maxResults: 10000, pageToken }))) out.set(v.version, v);
  }
  return [...out.values()].sort((a, b) => Number(a.version) - Number(b.version));
}

async function remoteVersion(ctx: SyncContext, name: string, version: string): Promise<ModelVersion | undefined> {
  try {
    return await ctx.to.getModelVersion(name, version);
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw e;
  }
}

/** Registered models and prompts with their versions, tags, stages and aliases. */
export async function syncRegistry(ctx: SyncContext): Promise<void> {
  const models = await localModels(ctx);
  let done = 0;
  for (const m of models) {
    ctx.checkAbort();
    await syncModel(ctx, m);
    ctx.progress({ phase: 'registry', done: ++done, total: models.length, item: m.name });
  }
}

async function syncModel(ctx: SyncContext, m: RegisteredModel): Promise<void> {
  let remote: RegisteredModel | undefined;
  try {
    remote = await ctx.to.getRegisteredModel(m.name);
  } catch (e) {
    if (!(isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST'))) throw e;
  }
  if (!remote) {
    remote = await ctx.to.createRegisteredModel(m.name, { description: m.description, tags: m.tags });
    ctx.report.registeredModels.created++;
  } else {
    let changed = false;
    for (const t of m.tags) {
      if (remote.tags.find((r) => r.key === t.key)?.value !== t.value) {
        await ctx.to.setRegisteredModelTag(m.name, t.key, t.value);
        changed = true;
      }
    }
    if (m.description && m.description !== remote.description) {
      await ctx.to.updateRegisteredModel(m.name, m.description);
      changed = true;
    }
    if (changed) ctx.report.registeredModels.updated++;
    else ctx.report.registeredModels.skipped++;
  }

  // Versions: matched by mapping, else by the syncedFrom tag (a version created just before a kill).
  const prompt = isPromptModel(m);
  const remoteVersions = await allVersions(ctx.to, m.name, prompt);
  const bySource = new Map<string, ModelVersion>();
  for (const v of remoteVersions) {
    const from = v.tags.find((t) => t.key === SYNCED_FROM_TAG)?.value;
    if (from) bySource.set(from, v);
  }
  const remoteByVersion = new Map(remoteVersions.map((v) => [v.version, v]));
  for (const v of await allVersions(ctx.from, m.name, prompt)) {
    ctx.checkAbort();
    const key = `${m.name}/${v.version}`;
    const origin = `${ctx.from.storeId}:${key}`;
    const mappedVersion = ctx.mapping('modelVersion', key);
    let rv = (mappedVersion && (remoteByVersion.get(mappedVersion) ?? (await remoteVersion(ctx, m.name, mappedVersion)))) || bySource.get(origin);
    const userTags = v.tags.filter((t) => t.key !== SYNCED_FROM_TAG);
    if (!rv) {
      try {
        rv = await ctx.to.createModelVersion(m.name, {
          source: remoteSource(ctx, v), runId: v.runId ? ctx.remoteRunOf(v.runId) : undefined,
          description: v.description, tags: [...userTags, { key: SYNCED_FROM_TAG, value: origin }],
        });
      } catch (e) {
        if (!(isTrackingError(e, 'INVALID_PARAMETER_VALUE'))) throw e;
        ctx.report.warnings.push(`${m.name} version ${v.version} was not pushed: ${e.message}`);
        continue;
      }
      ctx.report.modelVersions.created++;
    } else {
      let changed = false;
      for (const t of userTags) {
        if (rv.tags.find((r) => r.key === t.key)?.value !== t.value) {
          await ctx.to.setModelVersionTag(m.name, rv.version, t.key, t.value);
          changed = true;
        }
      }
      if (v.description && v.description !== rv.description) {
        await ctx.to.updateModelVersion(m.name, rv.version, v.description);
        changed = true;
      }
      if (changed) ctx.report.modelVersions.updated++;
      else ctx.report.modelVersions.skipped++;
    }
    await ctx.remember('modelVersion', key, rv.version);
    ctx.versionMap.set(key, rv.version);
    if (v.currentStage && v.currentStage !== 'None' && v.currentStage !== rv.currentStage) {
      try {
        await ctx.to.transitionStage(m.name, rv.version, v.currentStage, false);
      } catch (e) {
        if (!(isTrackingError(e, 'INVALID_PARAMETER_VALUE'))) throw e;
        ctx.report.warnings.push(`Stage ${v.currentStage} of ${m.name} version ${v.version} not set: ${e.message}`);
      }
    }
  }

  // Aliases point at the remote numbers of the same versions.
  const current = await ctx.to.getRegisteredModel(m.name);
  for (const a of m.aliases) {
    const target = ctx.versionMap.get(`${m.name}/${a.version}`);
    if (!target) continue;
    if (current.aliases.some((x) => x.alias === a.alias && x.version === target)) {
      ctx.report.aliases.skipped++;
      continue;
    }
    const existed = current.aliases.some((x) => x.alias === a.alias);
    await ctx.to.setAlias(m.name, a.alias, target);
    if (existed) ctx.report.aliases.updated++;
    else ctx.report.aliases.created++;
  }
}

/** A version's source as the server accepts it: local run artifact paths become runs:/<remote run>/<path>. */
function remoteSource(ctx: SyncContext, v: ModelVersion): string {
  const source = v.source ?? 'dummy-source';
  if (v.runId && source.startsWith('file:')) {
    const remoteRun = ctx.remoteRunOf(v.runId);
    const marker = `/artifacts/${v.runId}`;
    const i = source.indexOf(marker);
    if (remoteRun && i >= 0) return `runs:/${remoteRun}${source.slice(i + marker.length) || '/'}`;
  }
  return source;
}
