// MLflow's prompt-registry conventions (mlflow/prompt/constants.py, MLflow 3.17): a prompt is a
// registered model tagged mlflow.prompt.is_prompt=true; each version carries the same tag, the
// template in mlflow.prompt.text and its type in _mlflow_prompt_type ('text' | 'chat').
import type { ModelVersion, PromptVersion, Tag } from '../types';

export const IS_PROMPT_TAG = 'mlflow.prompt.is_prompt';
export const PROMPT_TEXT_TAG = 'mlflow.prompt.text';
export const PROMPT_TYPE_TAG = '_mlflow_prompt_type';
export const LINKED_PROMPTS_TAG = 'mlflow.linkedPrompts';
/** The CreateModelVersion source MLflow's client and UI send for prompts; the server refuses others. */
export const PROMPT_SOURCE_PLACEHOLDER = 'dummy-source';

/** Tags MLflow uses internally on prompt versions, hidden from the user's tag list. */
export function isInternalPromptTag(key: string): boolean {
  return key === IS_PROMPT_TAG || key === PROMPT_TEXT_TAG || key.startsWith('_mlflow_') || key.startsWith('mlflow.prompt.');
}

export function promptVersionTags(template: string, userTags: Tag[] = []): Tag[] {
  return [
    { key: IS_PROMPT_TAG, value: 'true' },
    { key: PROMPT_TEXT_TAG, value: template },
    { key: PROMPT_TYPE_TAG, value: 'text' },
    ...userTags.filter((t) => !isInternalPromptTag(t.key)),
  ];
}

export function isPromptModel(tags: Tag[]): boolean {
  return tags.some((t) => t.key === IS_PROMPT_TAG && t.value === 'true');
}

/** Reads a prompt version out of a model version; undefined when it carries no prompt text. */
export function toPromptVersion(mv: ModelVersion): PromptVersion | undefined {
  const text = mv.tags.find((t) => t.key === PROMPT_TEXT_TAG)?.value;
  if (text === undefined) return undefined;
  return {
    name: mv.name,
    version: mv.version,
    template: text,
    commitMessage: mv.description || undefined,
    tags: mv.tags.filter((t) => !isInternalPromptTag(t.key)),
    aliases: mv.aliases,
    creationTimestamp: mv.creationTimestamp,
  };
}

/** Adds {name, version} to the JSON list in mlflow.linkedPrompts, keeping order and no duplicates. */
export function addLinkedPrompt(current: string | undefined, prompt: { name: string; version: string }): string {
  let list: { name: string; version: string }[] = [];
  if (current) {
    try {
      const parsed = JSON.parse(current);
      if (Array.isArray(parsed)) list = parsed;
    } catch {
      // An unreadable tag is replaced rather than blocking the link.
    }
  }
  const entry = { name: prompt.name, version: String(prompt.version) };
  if (!list.some((p) => p && p.name === entry.name && String(p.version) === entry.version)) list.push(entry);
  return JSON.stringify(list);
}
