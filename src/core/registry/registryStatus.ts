// Where a prompt file stands against the registry, for the CodeLens and hover:
// `production = v3 (this file)`, `differs from production (v3)`, or `registry v2 (this file)`.
// A file "is" a version when it has that version's content hash, or — pulled from the registry,
// or made in MLflow's UI — the same MLflow form (messages, model config, response format).
import { parsePromptFile } from '../prompts/promptFile';
import type { TrackingStore } from '../tracking/types';
import { sameForm, type MlflowPromptForm } from './promptForm';
import { promptVersions } from './promptStore';
import { toMlflowForm } from './promptToMlflow';
import { TAG } from './registryTags';

export interface RegistryStatus {
  /** Versions this file is, newest first. */
  matchingVersions: string[];
  aliases: { alias: string; version: string; thisFile: boolean }[];
  /** One line for the CodeLens. */
  text: string;
}

const SHOWN_ALIAS = 'production';

/** Undefined when the prompt is not registered (or the store has no registry). Never throws. */
export async function registryStatusOf(store: TrackingStore, name: string, file: { text: string; path: string; contentHash: string }): Promise<RegistryStatus | undefined> {
  let versions;
  try {
    versions = await promptVersions(store, name);
  } catch {
    return undefined;
  }
  if (versions.length === 0) return undefined;
  let form: MlflowPromptForm | undefined;
  try { form = toMlflowForm(parsePromptFile(file.text, file.path), file.text).form; } catch { form = undefined; }
  const matching = versions.filter((v) => v.allTags.some((t) => t.key === TAG.contentHash && t.value === file.contentHash) || (form !== undefined && sameForm(v.form, form)));
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
