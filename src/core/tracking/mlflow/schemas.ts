// zod schemas for the MLflow REST answers we read, and their mapping to the TrackingStore shapes.
// Lenient on purpose: proto3 JSON omits empty fields and int64 values may arrive as strings.
import { z } from 'zod';
import type { Experiment, Metric, ModelVersion, RegisteredModel, LifecycleStage } from '../types';

const int64 = z.union([z.number(), z.string()]).transform((v) => Number(v));
const num = z.union([z.number(), z.string()]).transform((v) => (typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v)));
const kv = z.object({ key: z.string(), value: z.string().optional().default('') });

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional().default('active'),
  creation_time: int64.optional(),
  last_update_time: int64.optional(),
  tags: z.array(kv).optional().default([]),
});

export const metricSchema = z.object({ key: z.string(), value: num, timestamp: int64.optional().default(0), step: int64.optional().default(0) });

// Runs are read by runReader.ts (hand-written, one pass), not here.

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.union([z.string(), z.number()]).transform(String),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  current_stage: z.string().optional(),
  tags: z.array(kv).optional().default([]),
  aliases: z.array(z.string()).optional().default([]),
});

export const registeredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
  tags: z.array(kv).optional().default([]),
  aliases: z.array(z.object({ alias: z.string(), version: z.union([z.string(), z.number()]).transform(String) })).optional().default([]),
  latest_versions: z.array(modelVersionSchema).optional(),
});

export const artifactListSchema = z.object({
  files: z.array(z.object({ path: z.string(), is_dir: z.boolean().optional().default(false), file_size: int64.optional() })).optional().default([]),
});

const pageToken = z.string().optional();
export const responses = {
  createExperiment: z.object({ experiment_id: z.string() }),
  experiment: z.object({ experiment: experimentSchema }),
  searchExperiments: z.object({ experiments: z.array(experimentSchema).optional().default([]), next_page_token: pageToken }),
  metricHistory: z.object({ metrics: z.array(metricSchema).optional().default([]), next_page_token: pageToken }),
  registeredModel: z.object({ registered_model: registeredModelSchema }),
  searchRegisteredModels: z.object({ registered_models: z.array(registeredModelSchema).optional().default([]), next_page_token: pageToken }),
  modelVersion: z.object({ model_version: modelVersionSchema }),
  searchModelVersions: z.object({ model_versions: z.array(modelVersionSchema).optional().default([]), next_page_token: pageToken }),
  artifactList: artifactListSchema,
};

export function toExperiment(e: z.infer<typeof experimentSchema>): Experiment {
  return {
    experimentId: e.experiment_id,
    name: e.name,
    artifactLocation: e.artifact_location,
    lifecycleStage: e.lifecycle_stage as LifecycleStage,
    creationTime: e.creation_time,
    lastUpdateTime: e.last_update_time,
    tags: e.tags,
  };
}

export function toMetric(m: z.infer<typeof metricSchema>): Metric {
  return { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
}

export function toModelVersion(v: z.infer<typeof modelVersionSchema>): ModelVersion {
  return {
    name: v.name,
    version: v.version,
    creationTimestamp: v.creation_timestamp,
    lastUpdatedTimestamp: v.last_updated_timestamp,
    description: v.description || undefined,
    source: v.source,
    runId: v.run_id || undefined,
    status: v.status,
    currentStage: v.current_stage,
    tags: v.tags,
    aliases: v.aliases,
  };
}

export function toRegisteredModel(m: z.infer<typeof registeredModelSchema>): RegisteredModel {
  return {
    name: m.name,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    description: m.description || undefined,
    tags: m.tags,
    aliases: m.aliases,
    latestVersions: m.latest_versions?.map(toModelVersion),
  };
}
