// The run tag mlflow.linkedPrompts: a JSON list of the prompt versions a run used.
import { TAG } from '../../registry/registryTags';

export const LINKED_PROMPTS_TAG = TAG.linkedPrompts;

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
