// MLflow's rules for keys and values (mlflow/utils/validation.py, MLflow 3.17), checked before
// anything is sent or stored so both backends refuse the same input with the same message.
import { TrackingError } from './types';
import type { LogBatch, Metric, Param, Tag } from './types';

export const LIMITS = {
  maxMetricsPerBatch: 1000,
  maxParamsTagsPerBatch: 100,
  /** Total keys (metrics + params + tags) per log-batch request. */
  maxEntitiesPerBatch: 1000,
  maxBatchRequestBytes: 1_000_000,
  maxEntityKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentNameLength: 500,
  maxExperimentTagValueLength: 20000,
  maxRegistryTagKeyLength: 250,
  maxRegistryTagValueLength: 100_000,
  maxAliasLength: 255,
} as const;

// POSIX rule (MLflow accepts ':' except on Windows servers; we follow the POSIX server).
const NAME_CHARS = /^[/\w.\- :]*$/;
const ALIAS_CHARS = /^[\w-]*$/;
const VERSION_ALIAS = /^[vV]\d+$/;
const PROMPT_NAME = /^[a-zA-Z0-9_.-]+$/;

function invalid(message: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', message);
}

/** posixpath.normpath, enough to tell whether a name would resolve to a different file name. */
function normPosix(name: string): string {
  const abs = name.startsWith('/');
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** The name rule shared by metrics, params and tags. `what` is e.g. "Metric name". */
export function validateKeyName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '') throw invalid(`${what} is missing. A key name must be provided.`);
  if (!NAME_CHARS.test(name)) {
    throw invalid(
      `Invalid ${what.toLowerCase()} '${name}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const norm = normPosix(name);
  if (norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw invalid(
      `Invalid ${what.toLowerCase()} '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'.`,
    );
  }
  if (name.length > LIMITS.maxEntityKeyLength) {
    throw invalid(`${what} '${name.slice(0, 40)}…' is ${name.length} characters; the limit is ${LIMITS.maxEntityKeyLength}.`);
  }
}

function checkLength(what: string, key: string, value: string, limit: number): void {
  if (value.length > limit) {
    throw invalid(`${what} of '${key}' is ${value.length} characters; the limit is ${limit}. Shorten it or log it as an artifact instead.`);
  }
}

export function validateMetric(m: Metric): void {
  validateKeyName('Metric name', m.key);
  if (typeof m.value !== 'number') throw invalid(`Metric '${m.key}' has value ${String(m.value)}; it must be a number.`);
  if (!Number.isInteger(m.timestamp) || m.timestamp < 0) throw invalid(`Metric '${m.key}' has timestamp ${m.timestamp}; it must be a non-negative integer (ms).`);
  if (!Number.isInteger(m.step)) throw invalid(`Metric '${m.key}' has step ${m.step}; it must be an integer.`);
}

export function validateParam(p: Param): void {
  validateKeyName('Param key', p.key);
  if (typeof p.value !== 'string') throw invalid(`Param '${p.key}' must have a string value.`);
  checkLength('Param value', p.key, p.value, LIMITS.maxParamValueLength);
}

export function validateTag(t: Tag): void {
  validateKeyName('Tag key', t.key);
  if (typeof t.value !== 'string') throw invalid(`Tag '${t.key}' must have a string value.`);
  checkLength('Tag value', t.key, t.value, LIMITS.maxTagValueLength);
}

/** Validates a whole batch, including duplicate param keys with different values inside it. */
export function validateLogBatch(batch: LogBatch): void {
  for (const m of batch.metrics ?? []) validateMetric(m);
  for (const t of batch.tags ?? []) validateTag(t);
  const seen = new Map<string, string>();
  for (const p of batch.params ?? []) {
    validateParam(p);
    const prev = seen.get(p.key);
    if (prev !== undefined && prev !== p.value) {
      throw invalid(`Param '${p.key}' appears twice in one batch with different values ('${prev}' and '${p.value}').`);
    }
    seen.set(p.key, p.value);
  }
}

export function validateExperimentName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw invalid('Experiment name must be a non-empty string.');
  if (name.length > LIMITS.maxExperimentNameLength) throw invalid(`Experiment name is ${name.length} characters; the limit is ${LIMITS.maxExperimentNameLength}.`);
}

export function validateExperimentTag(t: Tag): void {
  validateKeyName('Tag key', t.key);
  checkLength('Tag value', t.key, t.value, LIMITS.maxExperimentTagValueLength);
}

export function validateRegistryTag(t: Tag): void {
  validateKeyName('Tag key', t.key);
  checkLength('Tag value', t.key, t.value, LIMITS.maxRegistryTagValueLength);
}

/** Alias rules of the model registry: [A-Za-z0-9_-], not 'latest' (any case), not v<digits>. */
export function validateAlias(alias: string): void {
  if (!alias) throw invalid('Registered model alias name cannot be empty.');
  if (!ALIAS_CHARS.test(alias)) throw invalid(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  if (alias.length > LIMITS.maxAliasLength) throw invalid(`Alias '${alias.slice(0, 40)}…' is longer than ${LIMITS.maxAliasLength} characters.`);
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' alias name (case insensitive) is reserved.");
  if (VERSION_ALIAS.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`);
}

/** Prompt names: alphanumerics, underscore, hyphen and dot (mlflow/prompt/constants.py). */
export function validatePromptName(name: string): void {
  if (!PROMPT_NAME.test(name)) {
    throw invalid(`Invalid prompt name '${name}'. Prompt names may only contain alphanumerics, underscores (_), hyphens (-) and dots (.).`);
  }
}

/** Artifact paths are relative, '/'-separated and may not leave the run's artifact root. */
export function validateArtifactPath(p: string, allowEmpty = false): string {
  const cleaned = p.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!cleaned && allowEmpty) return '';
  if (!cleaned) throw invalid('Artifact path must not be empty.');
  if (cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned)) throw invalid(`Artifact path '${p}' must be relative to the run's artifact root.`);
  const parts = cleaned.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw invalid(`Artifact path '${p}' must not contain '..' segments.`);
  return parts.join('/');
}
