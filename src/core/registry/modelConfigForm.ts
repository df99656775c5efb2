// A prompt file's model settings ↔ MLflow's `_mlflow_prompt_model_config` and
// `_mlflow_prompt_response_format`. MLflow's PromptModelConfig (prompt_version.py) knows
// provider, model_name, temperature ≥ 0, max_tokens > 0, top_p in [0, 1], top_k > 0,
// frequency_penalty, presence_penalty and stop_sequences; other keys ride along at top level.
import { isRecord } from '../prompts/promptNormalize';
import type { ParsedPrompt } from '../prompts/promptTypes';

/** Every spelling our formats use (v1 snake_case, v2 camelCase, MLflow) → MLflow's field. */
const FIELD_BY_SPELLING: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'top_p', topP: 'top_p',
  max_tokens: 'max_tokens', maxOutputTokens: 'max_tokens', max_output_tokens: 'max_tokens', maxTokens: 'max_tokens',
  top_k: 'top_k', topK: 'top_k',
  frequency_penalty: 'frequency_penalty', frequencyPenalty: 'frequency_penalty',
  presence_penalty: 'presence_penalty', presencePenalty: 'presence_penalty',
  stop: 'stop_sequences', stop_sequences: 'stop_sequences', stopSequences: 'stop_sequences',
};
const RESPONSE_FORMAT_SPELLINGS = ['response_format', 'responseFormat'];
/** Keys of a template's `model:` mapping that name the model rather than set a parameter. */
const TEMPLATE_MODEL_KEYS = new Set(['id', 'name', 'model_name', 'provider', 'api', 'apiType', 'parameters']);

/** MLflow field → how we write it back into a Prompty v2 `options` mapping. */
const V2_OPTION: Record<string, string> = {
  temperature: 'temperature', top_p: 'topP', max_tokens: 'maxOutputTokens', top_k: 'topK',
  frequency_penalty: 'frequencyPenalty', presence_penalty: 'presencePenalty', stop_sequences: 'stopSequences',
};
/** …and into a template's `model:` mapping (the spellings templateFrontmatterSchema reads). */
const TEMPLATE_OPTION: Record<string, string> = { ...Object.fromEntries(Object.keys(V2_OPTION).map((k) => [k, k])), stop_sequences: 'stop' };

export interface ModelConfigProblem { field: string; message: string }

export interface ModelConfigResult {
  modelConfig?: Record<string, unknown>;
  responseFormat?: Record<string, unknown>;
  /** Frontmatter fields about the model that MLflow's forms have no place for. */
  notCarried: string[];
  problems: ModelConfigProblem[];
}

/** Reads the model part of a parsed prompt into MLflow's fields, checked by MLflow's own rules. */
export function modelConfigOf(prompt: ParsedPrompt): ModelConfigResult {
  const out: ModelConfigResult = { notCarried: [], problems: [] };
  const raw = prompt.frontmatter.model;
  if (raw === undefined || raw === null) return out;
  const config: Record<string, unknown> = {};
  if (prompt.model?.provider) config.provider = prompt.model.provider;
  if (prompt.model?.id) config.model_name = prompt.model.id;
  if (prompt.model && prompt.model.api !== 'chat') out.notCarried.push(`model api '${prompt.model.api}' (MLflow prompts are for chat and text completion calls)`);

  const { options, where } = rawOptions(prompt.format, raw);
  for (const [key, value] of Object.entries(options)) {
    if (RESPONSE_FORMAT_SPELLINGS.includes(key)) {
      if (isRecord(value)) out.responseFormat = value;
      else out.problems.push({ field: `${where}${key}`, message: 'MLflow keeps a response format as a JSON object (a JSON Schema); give a mapping' });
      continue;
    }
    const field = FIELD_BY_SPELLING[key] ?? key;
    if (value === null || value === undefined) continue;
    config[field] = field === 'stop_sequences' && typeof value === 'string' ? [value] : value;
    const problem = checkField(field, config[field]);
    if (problem) out.problems.push({ field: `${where}${key}`, message: problem });
  }
  if (isRecord(raw)) {
    const connection = prompt.format === 'prompty-v1' ? withoutKeys(raw.configuration, ['type', 'name', 'azure_deployment', 'model']) : raw.connection;
    if (isRecord(connection) && Object.keys(connection).length > 0) {
      out.notCarried.push(`model ${prompt.format === 'prompty-v1' ? 'configuration' : 'connection'} (${Object.keys(connection).join(', ')}): endpoints and keys stay with the caller, never in the registry`);
    }
    if (prompt.format === 'prompty-v1' && raw.response !== undefined) out.notCarried.push(`model.response '${String(raw.response)}'`);
  }
  if (Object.keys(config).length > 0) out.modelConfig = config;
  return out;
}

function rawOptions(format: ParsedPrompt['format'], raw: unknown): { options: Record<string, unknown>; where: string } {
  if (!isRecord(raw)) return { options: {}, where: 'model.' };
  if (format === 'prompty-v1') return { options: isRecord(raw.parameters) ? raw.parameters : {}, where: 'model.parameters.' };
  if (format === 'prompty-v2') return { options: isRecord(raw.options) ? raw.options : {}, where: 'model.options.' };
  const top = Object.fromEntries(Object.entries(raw).filter(([k]) => !TEMPLATE_MODEL_KEYS.has(k)));
  return { options: { ...top, ...(isRecord(raw.parameters) ? raw.parameters : {}) }, where: 'model.' };
}

function withoutKeys(value: unknown, keys: string[]): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

/** MLflow's PromptModelConfig validation, as messages that name the rule. */
export function checkField(field: string, value: unknown): string | undefined {
  const num = typeof value === 'number' && Number.isFinite(value);
  switch (field) {
    case 'temperature': return num && (value as number) >= 0 ? undefined : `MLflow's model_config needs temperature ≥ 0 (found ${JSON.stringify(value)})`;
    case 'max_tokens': return num && Number.isInteger(value) && (value as number) > 0 ? undefined : `MLflow's model_config needs max_tokens to be a whole number > 0 (found ${JSON.stringify(value)})`;
    case 'top_p': return num && (value as number) >= 0 && (value as number) <= 1 ? undefined : `MLflow's model_config needs top_p between 0 and 1 (found ${JSON.stringify(value)})`;
    case 'top_k': return num && Number.isInteger(value) && (value as number) > 0 ? undefined : `MLflow's model_config needs top_k to be a whole number > 0 (found ${JSON.stringify(value)})`;
    case 'frequency_penalty':
    case 'presence_penalty': return num ? undefined : `MLflow's model_config needs ${field} to be a number (found ${JSON.stringify(value)})`;
    case 'stop_sequences': return Array.isArray(value) && value.every((s) => typeof s === 'string') ? undefined : `MLflow's model_config needs stop_sequences to be a list of strings (found ${JSON.stringify(value)})`;
    case 'provider':
    case 'model_name': return typeof value === 'string' ? undefined : `MLflow's model_config needs ${field} to be a string`;
    default: return undefined;
  }
}

/** MLflow's model config (and response format) → a Prompty v2 `model:` mapping. */
export function promptyV2Model(modelConfig: Record<string, unknown> | undefined, responseFormat: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!modelConfig && !responseFormat) return undefined;
  const { provider, model_name: modelName, ...params } = modelConfig ?? {};
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) options[V2_OPTION[k] ?? k] = v;
  if (responseFormat) options.responseFormat = responseFormat;
  return {
    ...(typeof modelName === 'string' ? { id: modelName } : {}),
    ...(typeof provider === 'string' ? { provider } : {}),
    apiType: 'chat',
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}

/** …and → a template file's `model:` mapping (parameters at top level). */
export function templateModel(modelConfig: Record<string, unknown> | undefined, responseFormat: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!modelConfig && !responseFormat) return undefined;
  const { provider, model_name: modelName, ...params } = modelConfig ?? {};
  const model: Record<string, unknown> = {};
  if (typeof modelName === 'string') model.id = modelName;
  if (typeof provider === 'string') model.provider = provider;
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) model[TEMPLATE_OPTION[k] ?? k] = v;
  if (responseFormat) model.response_format = responseFormat;
  return model;
}
