// Where a prompt file stands against the registry, for the CodeLens and hover:
// `production = v3 (this file)`, `differs from production (v3)`, or `registry v2 (this file)`.
// A file "is" a version when it has that version's content hash, or — pulled from the registry,
// or made in MLflow's UI — the same MLflow form (messages, model config, response format).
import { parsePromptFile } from '../prompts/promptFile';
import type { TrackingStore } from '../tracking/types';
import { sameForm, type MlflowPromptForm } from './promptForm';
import { normalizedContentHash } from '../prompts/contentHash';
import { promptVersions, type RegistryPromptVersion } from './promptStore';
import { toMlflowForm } from './promptToMlflow';
import { TAG } from './registryTags';

export interface RegistryStatus {
  /** Versions this file is: by content hash first, then by form, each newest first. */
  matchingVersions: string[];
  aliases: { alias: string; version: string; thisFile: boolean }[];
  /** One line for the CodeLens. */
  text: string;
}

const SHOWN_ALIAS = 'production';

/**
 * The versions this file is, newest first within each kind: those with its content hash (or, for a version with
 * no hash tag, whose stored text hashes the same), then those with the same MLflow form — a file
 * pulled from the registry, or a version made in MLflow's UI. The one rule for "this file is vN".
 */
export function versionsOfFile(versions: readonly RegistryPromptVersion[], file: { contentHash: string; text?: string; path?: string }): RegistryPromptVersion[] {
  const byHash = versions.filter((v) => {
    const tagHash = v.allTags.find((t) => t.key === TAG.contentHash)?.value;
    return tagHash === file.contentHash || (tagHash === undefined && normalizedContentHash(v.template) === file.contentHash);
  });
  // Without the file's text only the hash can tell.
  let form: MlflowPromptForm | undefined;
  if (file.text !== undefined) {
    try { form = toMlflowForm(parsePromptFile(file.text, file.path ?? 'prompt.prompty'), file.text).form; } catch { form = undefined; }
  }
  const byForm = form ? versions.filter((v) => !byHash.includes(v) && sameForm(v.form, form!)) : [];
  return [...byHash, ...byForm];
}

/** Undefined when the prompt is not registered (or the store has no registry). Never throws. */
export async function registryStatusOf(store: TrackingStore, name: string, file: { text: string; path: string; contentHash: string }): Promise<RegistryStatus | undefined> {
  let versions;
  try {
    versions = await promptVersions(store, name);
  } catch {
    return undefined;
  }
  if (versions.length === 0) return undefined;
  const matching = versionsOfFile(versions, file);
  const matchingVersions = matching.map((v) => v.version);
  const aliases = versions.flatMap((v) => v.aliases.map((alias) => ({ alias, version: v.version, thisFile: matchingVersions.includes(v.version) })))
    .sort((a, b) => a.alias.localeCompare(b.alias));
  const shown = aliases.find((a) => a.alias === SHOWN_ALIAS) ?? aliases.find((a) => a.thisFile) ?? aliases[0];
  let text: string;
  if (shown?.thisFile) text = `${shown.alias} = v${shown.version} (this file)`;
  else if (shown) text = matchingVersions.length ? `registry v${matchingVersions[0]} (this file) · ${shown.alias} = v${shown.version}` : `differs from ${shown.alias} (v${shown.version})`;
  else text = matchingVersions.length ? `registry v${matchingVersions[0]} (this file)` : `not registered as is (latest v${versions[0].version})`;
  return { matchingVersions, aliases, text };
}
