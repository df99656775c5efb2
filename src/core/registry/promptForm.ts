// MLflow 3's own forms of a prompt version (mlflow/entities/model_registry/prompt_version.py):
// a text template or a list of chat messages, plus an optional model config and response
// format, all kept in model-version tags. Reading and writing those tags happens only here.
import type { Tag } from '../tracking/types';
import { pythonJsonDumps } from '../tracking/pythonJson';
import { TAG } from './registryTags';

export interface ChatMessageTemplate { role: string; content: string }

interface FormExtras {
  /** MLflow's PromptModelConfig.to_dict(): known fields plus extra keys at top level, no nulls. */
  modelConfig?: Record<string, unknown>;
  /** A JSON Schema (or any JSON object) describing the response. */
  responseFormat?: Record<string, unknown>;
}
export type MlflowPromptForm =
  | ({ type: 'text'; template: string } & FormExtras)
  | ({ type: 'chat'; messages: ChatMessageTemplate[] } & FormExtras);

/** The variable pattern of MLflow's PromptVersion (PROMPT_TEMPLATE_VARIABLE_PATTERN). */
export const MLFLOW_VARIABLE = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;

/** The text MLflow stores in mlflow.prompt.text. */
export function formText(form: MlflowPromptForm): string {
  return form.type === 'text' ? form.template : pythonJsonDumps(form.messages.map((m) => ({ role: m.role, content: m.content })));
}

/** The model-version tags that carry the form, exactly as MLflow's Python client writes them. */
export function formTags(form: MlflowPromptForm): Tag[] {
  return [
    { key: TAG.isPrompt, value: 'true' },
    { key: TAG.promptText, value: formText(form) },
    { key: TAG.promptType, value: form.type },
    ...(form.responseFormat ? [{ key: TAG.responseFormat, value: pythonJsonDumps(form.responseFormat) }] : []),
    ...(form.modelConfig && Object.keys(form.modelConfig).length > 0 ? [{ key: TAG.modelConfig, value: pythonJsonDumps(form.modelConfig) }] : []),
  ];
}

/**
 * Reads the form back from a version's tags, whoever wrote it (our register, MLflow's UI,
 * `mlflow.genai.register_prompt`). Undefined when the version carries no prompt text.
 */
export function readFormTags(tags: readonly Tag[]): MlflowPromptForm | undefined {
  const get = (key: string) => tags.find((t) => t.key === key)?.value;
  const text = get(TAG.promptText);
  if (text === undefined) return undefined;
  const extras: FormExtras = {};
  const modelConfig = parseObject(get(TAG.modelConfig));
  if (modelConfig) extras.modelConfig = modelConfig;
  const responseFormat = parseObject(get(TAG.responseFormat));
  if (responseFormat) extras.responseFormat = responseFormat;
  if (get(TAG.promptType) === 'chat') {
    const messages = parseMessages(text);
    if (messages) return { type: 'chat', messages, ...extras };
  }
  return { type: 'text', template: text, ...extras };
}

function parseObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseMessages(raw: string): ChatMessageTemplate[] | undefined {
  try {
    const v = JSON.parse(raw) as unknown;
    if (!Array.isArray(v)) return undefined;
    return v.map((m) => {
      const o = (m ?? {}) as { role?: unknown; content?: unknown };
      return { role: String(o.role ?? ''), content: typeof o.content === 'string' ? o.content : o.content == null ? '' : JSON.stringify(o.content) };
    });
  } catch {
    return undefined;
  }
}

/** MLflow renders with Jinja2 only when the text or some message holds both `{%` and `%}`. */
export function isJinjaForm(form: MlflowPromptForm): boolean {
  const jinja = (s: string) => s.includes('{%') && s.includes('%}');
  return form.type === 'text' ? jinja(form.template) : form.messages.some((m) => jinja(m.content));
}

/** The variables MLflow's `PromptVersion.variables` reports (its regex over the text or the JSON). */
export function mlflowVariables(form: MlflowPromptForm): string[] {
  return [...new Set([...formText(form).matchAll(MLFLOW_VARIABLE)].map((m) => m[1]))];
}

/** Same template, model config and response format: what a serving app would get. */
export function sameForm(a: MlflowPromptForm, b: MlflowPromptForm): boolean {
  return a.type === b.type && formText(a) === formText(b)
    && canonical(a.modelConfig) === canonical(b.modelConfig) && canonical(a.responseFormat) === canonical(b.responseFormat);
}

function canonical(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined && o[k] !== null).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
