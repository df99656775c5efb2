import type { ModelApi, ModelParameters, NormalizedModel, PromptFormat, PromptInput, TemplateEngine } from './promptTypes';
import { V1_ONLY_MODEL_KEYS, V1_ONLY_ROOT_KEYS, V2_ONLY_MODEL_KEYS, V2_ONLY_ROOT_KEYS } from './promptSchemas';

/** Lenient readers: a value of the wrong type is ignored here (the schema check reports it). */
type Data = Record<string, unknown>;

export function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const numOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A key that marks one Prompty version, with the YAML path to point at. */
export interface VersionSignal {
  version: 'v1' | 'v2';
  path: (string | number)[];
}

export function promptyVersionSignals(fm: Data): VersionSignal[] {
  const signals: VersionSignal[] = [];
  const add = (version: 'v1' | 'v2', path: (string | number)[]) => signals.push({ version, path });
  for (const key of V1_ONLY_ROOT_KEYS) if (key in fm) add('v1', [key]);
  for (const key of V2_ONLY_ROOT_KEYS) if (key in fm) add('v2', [key]);
  if (typeof fm.model === 'string') add('v2', ['model']);
  if (isRecord(fm.model)) {
    for (const key of V1_ONLY_MODEL_KEYS) if (key in fm.model) add('v1', ['model', key]);
    for (const key of V2_ONLY_MODEL_KEYS) if (key in fm.model) add('v2', ['model', key]);
  }
  for (const section of ['inputs', 'outputs']) {
    const value = fm[section];
    if (Array.isArray(value)) add('v2', [section]);
    else if (isRecord(value)) {
      for (const [name, prop] of Object.entries(value)) {
        if (!isRecord(prop)) continue;
        if ('kind' in prop || 'example' in prop || 'required' in prop) add('v2', [section, name]);
        if ('type' in prop || 'sample' in prop) add('v1', [section, name]);
      }
    }
  }
  if (isRecord(fm.template)) {
    if ('format' in fm.template) add('v2', ['template', 'format']);
    if ('type' in fm.template) add('v1', ['template', 'type']);
  }
  return signals;
}

/** More v1 signals than v2 → v1; otherwise v2 (the current spec, and its loader accepts unknown keys). */
export function detectPromptyVersion(signals: readonly VersionSignal[]): 'prompty-v1' | 'prompty-v2' {
  const v1 = signals.filter((s) => s.version === 'v1').length;
  const v2 = signals.length - v1;
  return v1 > v2 ? 'prompty-v1' : 'prompty-v2';
}

export function normalizeModel(format: PromptFormat, raw: unknown): NormalizedModel | undefined {
  const model = readModel(format, raw);
  if (!model) return undefined;
  // Omit absent fields so the model serializes (into run params) without `undefined` noise.
  if (model.id === undefined) delete model.id;
  if (model.provider === undefined) delete model.provider;
  return model;
}

function readModel(format: PromptFormat, raw: unknown): NormalizedModel | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return { id: raw, api: 'chat', parameters: {} };
  if (!isRecord(raw)) return undefined;
  if (format === 'prompty-v1') {
    const config = isRecord(raw.configuration) ? raw.configuration : {};
    const params = isRecord(raw.parameters) ? raw.parameters : {};
    return {
      id: str(config.azure_deployment) ?? str(config.name) ?? str(config.model),
      provider: str(config.type),
      api: apiOf(raw.api),
      parameters: readParameters(params),
    };
  }
  if (format === 'prompty-v2') {
    const options = isRecord(raw.options) ? raw.options : {};
    return {
      id: str(raw.id),
      provider: str(raw.provider),
      api: apiOf(raw.apiType),
      parameters: readParameters(options),
    };
  }
  // Template frontmatter: accept MLflow-ish and OpenAI-ish spellings, at top level or under parameters.
  const params = { ...raw, ...(isRecord(raw.parameters) ? raw.parameters : {}) };
  return {
    id: str(raw.id) ?? str(raw.name) ?? str(raw.model_name),
    provider: str(raw.provider),
    api: apiOf(raw.api ?? raw.apiType),
    parameters: readParameters(params),
  };
}

function apiOf(value: unknown): ModelApi {
  const known: ModelApi[] = ['chat', 'completion', 'responses', 'embedding', 'image'];
  return known.includes(value as ModelApi) ? (value as ModelApi) : 'chat';
}

/** Reads v1 (snake_case), v2 (camelCase) and MLflow spellings into one shape. */
function readParameters(p: Data): ModelParameters {
  const out: ModelParameters = {};
  const temperature = numOf(p.temperature);
  const topP = numOf(p.top_p) ?? numOf(p.topP);
  const maxTokens = numOf(p.max_tokens) ?? numOf(p.maxOutputTokens) ?? numOf(p.max_output_tokens);
  const seed = numOf(p.seed);
  const stopRaw = p.stop ?? p.stopSequences ?? p.stop_sequences;
  const stop = typeof stopRaw === 'string' ? [stopRaw] : Array.isArray(stopRaw) ? stopRaw.filter((s): s is string => typeof s === 'string') : undefined;
  if (temperature !== undefined) out.temperature = temperature;
  if (topP !== undefined) out.top_p = topP;
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  if (stop !== undefined) out.stop = stop;
  if (seed !== undefined) out.seed = seed;
  const responseFormat = p.response_format ?? p.responseFormat;
  if (responseFormat !== undefined) out.response_format = responseFormat;
  return out;
}

/** An input plus the YAML path of its name, for diagnostics at the declaration. */
export interface DeclaredInput {
  input: PromptInput;
  path: (string | number)[];
  /** Point at the key ('key') or at the `name:` value / list item ('value'). */
  target: 'key' | 'value';
}

/** Reads list, name-keyed mapping and scalar-shorthand inputs (scalar = default, as the v2 spec says). */
export function normalizeInputs(raw: unknown, section = 'inputs'): DeclaredInput[] {
  const declared: DeclaredInput[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, index) => {
      if (typeof item === 'string') declared.push({ input: { name: item, required: true }, path: [section, index], target: 'value' });
      else if (isRecord(item) && typeof item.name === 'string') {
        declared.push({ input: propertyToInput(item.name, item), path: [section, index, 'name'], target: 'value' });
      }
    });
  } else if (isRecord(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      const input = isRecord(value) ? propertyToInput(name, value) : { name, default: value ?? undefined, required: value === null || value === undefined };
      declared.push({ input, path: [section, name], target: 'key' });
    }
  }
  return declared;
}

function propertyToInput(name: string, p: Data): PromptInput {
  const input: PromptInput = { name, required: typeof p.required === 'boolean' ? p.required : p.default === undefined };
  const type = str(p.kind) ?? str(p.type);
  if (type !== undefined) input.type = type;
  if (typeof p.description === 'string') input.description = p.description;
  if (p.default !== undefined) input.default = p.default;
  const sample = p.sample ?? p.example;
  if (sample !== undefined) input.sample = sample;
  return input;
}

/** Prompty's engine: `template: mustache` (v1), {type} (v1 runtime) or {format: {kind}} (v2); default jinja2. */
export function promptyEngine(template: unknown): TemplateEngine {
  let kind: unknown = template;
  if (isRecord(template)) {
    kind = template.type ?? template.format;
    if (isRecord(kind)) kind = kind.kind;
  }
  return typeof kind === 'string' && kind.toLowerCase() === 'mustache' ? 'mustache' : 'jinja2';
}

/** Example values: top-level `sample` (v1) overridden by nothing, filled from per-input samples. */
export function collectSample(fmSample: unknown, inputs: readonly PromptInput[]): Record<string, unknown> | undefined {
  const sample: Record<string, unknown> = {};
  for (const input of inputs) if (input.sample !== undefined) sample[input.name] = input.sample;
  if (isRecord(fmSample)) Object.assign(sample, fmSample);
  return Object.keys(sample).length > 0 ? sample : undefined;
}
