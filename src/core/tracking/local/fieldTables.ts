// One field table per entity of the embedded store: which attribute keys a filter or order-by may
// name (aliases included, as MLflow's SQL store accepts them), how each is read from the state, and
// the error naming the valid ones. Filtering (matchesFilterWith), ordering (compareByClauses) and
// their error messages all read the same table, so they cannot disagree.
import type { EntityType } from '../filter';
import { invalid } from './stateLookups';
import type { ExperimentEntry } from './logRecords';
import type { ModelState, RunState, VersionState } from './storeState';

type Value = string | number | undefined;

export interface FieldTable<E> {
  /** What the entity is called in the error, e.g. 'experiments'. */
  readonly what: string;
  readonly attributes: Readonly<Record<string, (e: E) => Value>>;
  /** Readers for tags.<key> (and metrics./params. for runs); absent kinds are refused. */
  readonly tag?: (e: E, key: string) => Value;
  readonly metric?: (e: E, key: string) => Value;
  readonly param?: (e: E, key: string) => Value;
  /** The keys the error suggests (the documented names, not every alias). */
  readonly documented: readonly string[];
}

function unknownField<E>(table: FieldTable<E>, type: EntityType, key: string): Error {
  const shown = type === 'attribute' ? key : `${type}s.${key}`;
  return invalid(`Invalid key '${shown}' for ${table.what}. Use ${table.documented.join(', ')}.`);
}

function known<E>(table: FieldTable<E>, type: EntityType, key: string): boolean {
  return type === 'attribute' ? Object.hasOwn(table.attributes, key) : table[type] !== undefined;
}

/**
 * Refuses a filter or order-by naming a key the entity does not have, before any entity is read
 * (as the server does, also when nothing would match).
 */
export function checkFields<E>(table: FieldTable<E>, fields: readonly { type: EntityType; key: string }[]): void {
  for (const f of fields) if (!known(table, f.type, f.key)) throw unknownField(table, f.type, f.key);
}

/** The value of `type.key` on `e`, or INVALID_PARAMETER_VALUE naming the keys the entity has. */
export function fieldValue<E>(table: FieldTable<E>, e: E, type: EntityType, key: string): Value {
  if (!known(table, type, key)) throw unknownField(table, type, key);
  return type === 'attribute' ? table.attributes[key](e) : table[type]!(e, key);
}

export const EXPERIMENT_FIELDS: FieldTable<ExperimentEntry> = {
  what: 'experiments',
  attributes: {
    name: (e) => e.name,
    creation_time: (e) => e.creationTime,
    last_update_time: (e) => e.lastUpdateTime,
    experiment_id: (e) => e.experimentId,
  },
  tag: (e, key) => e.tags[key],
  documented: ['name', 'creation_time', 'last_update_time', 'tags.<key>'],
};

export const MODEL_FIELDS: FieldTable<ModelState> = {
  what: 'registered models',
  attributes: {
    name: (m) => m.name,
    creation_timestamp: (m) => m.creationTimestamp,
    creation_time: (m) => m.creationTimestamp,
    last_updated_timestamp: (m) => m.lastUpdatedTimestamp,
    last_update_time: (m) => m.lastUpdatedTimestamp,
  },
  tag: (m, key) => m.tags.get(key),
  documented: ['name', 'creation_timestamp', 'last_updated_timestamp', 'tags.<key>'],
};

export const VERSION_FIELDS: FieldTable<VersionState> = {
  what: 'model versions',
  attributes: {
    name: (v) => v.name,
    version: (v) => Number(v.version),
    version_number: (v) => Number(v.version),
    run_id: (v) => v.runId,
    source: (v) => v.source,
    source_path: (v) => v.source,
    current_stage: (v) => v.currentStage,
    creation_timestamp: (v) => v.creationTimestamp,
    last_updated_timestamp: (v) => v.lastUpdatedTimestamp,
  },
  tag: (v, key) => v.tags.get(key),
  documented: ['name', 'version_number', 'run_id', 'source_path', 'tags.<key>'],
};

/** Runs also read their artifact URI, which depends on where the store lives. */
export function runFields(artifactUri: (r: RunState) => string): FieldTable<RunState> {
  return {
    what: 'runs',
    attributes: {
      run_id: (r) => r.runId,
      run_name: (r) => r.runName,
      status: (r) => r.status,
      start_time: (r) => r.startTime,
      end_time: (r) => r.endTime,
      user_id: (r) => r.userId,
      artifact_uri: artifactUri,
      experiment_id: (r) => r.experimentId,
      lifecycle_stage: (r) => r.lifecycleStage,
    },
    metric: (r, key) => r.latest.get(key)?.value,
    param: (r, key) => r.params.get(key),
    tag: (r, key) => r.tags.get(key),
    documented: ['run_id', 'run_name', 'status', 'start_time', 'end_time', 'user_id', 'artifact_uri', 'metrics.<key>', 'params.<key>', 'tags.<key>'],
  };
}
