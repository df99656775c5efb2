// Conversions from the embedded store's state to the TrackingStore entity shapes (the fields
// filters and orders read are in fieldTables.ts). Kept apart so search code and the store agree.
import type { Experiment, ModelVersion, RegisteredModel, Run, RunInfo, Tag } from '../types';
import { TAG } from '../../registry/registryTags';
import type { ExperimentEntry } from './logRecords';
import type { ModelState, RunState, VersionState } from './storeState';

export const PROMPT_TAG = TAG.isPrompt;

const tagsOf = (m: Map<string, string> | Record<string, string>): Tag[] =>
  (m instanceof Map ? [...m] : Object.entries(m)).map(([key, value]) => ({ key, value }));

export function experimentView(e: ExperimentEntry): Experiment {
  return {
    experimentId: e.experimentId, name: e.name, lifecycleStage: e.lifecycleStage, creationTime: e.creationTime,
    lastUpdateTime: e.lastUpdateTime, tags: tagsOf(e.tags),
  };
}

export function runInfoView(r: RunState, artifactUri: string): RunInfo {
  const info: RunInfo = {
    runId: r.runId, runName: r.runName, experimentId: r.experimentId, status: r.status, startTime: r.startTime,
    artifactUri, lifecycleStage: r.lifecycleStage,
  };
  if (r.userId !== undefined) info.userId = r.userId;
  if (r.endTime !== undefined) info.endTime = r.endTime;
  return info;
}

export function runView(r: RunState, artifactUri: string): Run {
  return {
    info: runInfoView(r, artifactUri),
    data: {
      metrics: [...r.latest.values()].map((m) => ({ ...m })),
      params: [...r.params].map(([key, value]) => ({ key, value })),
      tags: tagsOf(r.tags),
    },
  };
}

export function versionView(m: ModelState, v: VersionState): ModelVersion {
  const out: ModelVersion = {
    name: v.name, version: v.version, creationTimestamp: v.creationTimestamp, lastUpdatedTimestamp: v.lastUpdatedTimestamp,
    source: v.source, status: 'READY', currentStage: v.currentStage, tags: tagsOf(v.tags),
    aliases: [...m.aliases].filter(([, ver]) => ver === v.version).map(([a]) => a),
  };
  if (v.description !== undefined) out.description = v.description;
  if (v.runId !== undefined) out.runId = v.runId;
  return out;
}

export function modelView(m: ModelState): RegisteredModel {
  // MLflow's latest_versions: the highest version in each stage.
  const byStage = new Map<string, VersionState>();
  for (const v of m.versions.values()) {
    const cur = byStage.get(v.currentStage);
    if (!cur || Number(v.version) > Number(cur.version)) byStage.set(v.currentStage, v);
  }
  const out: RegisteredModel = {
    name: m.name, creationTimestamp: m.creationTimestamp, lastUpdatedTimestamp: m.lastUpdatedTimestamp, tags: tagsOf(m.tags),
    aliases: [...m.aliases].map(([alias, version]) => ({ alias, version })),
    latestVersions: [...byStage.values()].map((v) => versionView(m, v)),
  };
  if (m.description !== undefined) out.description = m.description;
  return out;
}

export const isPrompt = (m: ModelState) => m.tags.get(PROMPT_TAG) === 'true';

