// MLflow's prompt-registry conventions, written once on top of any TrackingStore's
// registered-model and model-version calls, so the embedded store and an MLflow server can't
// drift: a prompt is a registered model tagged mlflow.prompt.is_prompt=true, a version a model
// version carrying the form tags (promptForm.ts); a bare name means the latest version.
import type { ModelVersion, Page, RegisteredModel, Tag, TrackingStore } from '../tracking/types';
import { isTrackingError, TrackingError } from '../tracking/types';
import { validatePromptName, validateRegistryTag } from '../tracking/validation';
import { formTags, readFormTags, type MlflowPromptForm } from './promptForm';
import { isInternalPromptTag, PROMPT_SOURCE_PLACEHOLDER, TAG } from './registryTags';
import { quoteFilterValue } from '../tracking/filter';
import { eachItem } from '../tracking/pages';

/** A prompt version as a serving app sees it, plus our bookkeeping. */
export interface RegistryPromptVersion {
  name: string;
  version: string;
  form: MlflowPromptForm;
  /** mlflow.prompt.text as stored: the text, or the messages' JSON. */
  template: string;
  commitMessage?: string;
  /** The user's tags (MLflow's internal ones left out). */
  tags: Tag[];
  /** Every tag of the version. */
  allTags: Tag[];
  aliases: string[];
  creationTimestamp?: number;
  /** Legacy stage, shown read-only (aliases replace stages since MLflow 2.9). */
  legacyStage?: string;
}

export type PromptRef = { version?: string; alias?: string };

const PROMPT_FILTER = `tags.\`${TAG.isPrompt}\` = 'true'`;

/** Text, a message list or a whole form: what MLflow's register_prompt accepts. */
export type PromptTemplateInput = string | MlflowPromptForm;

export async function registerPrompt(
  store: TrackingStore, name: string, template: PromptTemplateInput, opts: { commitMessage?: string; tags?: Tag[]; description?: string } = {},
): Promise<RegistryPromptVersion> {
  validatePromptName(name);
  const form: MlflowPromptForm = typeof template === 'string' ? { type: 'text', template } : template;
  const userTags = (opts.tags ?? []).filter((t) => !isInternalPromptTag(t.key));
  const versionTags = [...formTags(form), ...userTags];
  versionTags.forEach(validateRegistryTag);
  const model = await findRegisteredModel(store, name);
  if (model && !isPromptModel(model)) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `'${name}' is registered as a model, not a prompt; pick another prompt name.`);
  }
  if (!model) {
    try {
      await store.createRegisteredModel(name, { description: opts.description ?? opts.commitMessage, tags: [{ key: TAG.isPrompt, value: 'true' }] });
    } catch (e) {
      // Another writer created it between our look and our create: use theirs.
      if (!isTrackingError(e, 'RESOURCE_ALREADY_EXISTS')) throw e;
    }
  }
  const mv = await store.createModelVersion(name, { source: PROMPT_SOURCE_PLACEHOLDER, description: opts.commitMessage, tags: versionTags });
  return toRegistryPromptVersion(mv)!;
}

/** By version, by alias, or (neither) the latest version — as `load_prompt("prompts:/name")`. */
export async function getPrompt(store: TrackingStore, name: string, ref: PromptRef = {}): Promise<RegistryPromptVersion> {
  const model = await findRegisteredModel(store, name);
  if (!model || !isPromptModel(model)) throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Prompt '${name}' does not exist.`);
  let version = ref.version;
  if (ref.alias !== undefined && ref.alias !== 'latest') {
    version = model.aliases.find((a) => a.alias === ref.alias)?.version;
    if (version === undefined) throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Prompt '${name}' has no alias '${ref.alias}'.`);
  }
  if (version === undefined) {
    const all = await promptVersions(store, name);
    if (all.length === 0) throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Prompt '${name}' has no versions.`);
    return all[0];
  }
  let mv: ModelVersion;
  try {
    mv = await store.getModelVersion(name, version);
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE')) {
      throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `Prompt '${name}' has no version ${version}.`);
    }
    throw e;
  }
  const pv = toRegistryPromptVersion({ ...mv, aliases: mergedAliases(mv, model) });
  if (!pv) throw new TrackingError('INVALID_PARAMETER_VALUE', `Version ${mv.version} of '${name}' has no prompt text (tag ${TAG.promptText}).`);
  return pv;
}

/** Parses `name`, `name@alias` or `name/version` (and the same behind `prompts:/`). */
export function parsePromptRef(text: string): { name: string } & PromptRef {
  const s = text.replace(/^prompts:\//, '');
  const at = s.lastIndexOf('@');
  if (at > 0) return { name: s.slice(0, at), alias: s.slice(at + 1) };
  const slash = s.lastIndexOf('/');
  if (slash > 0 && /^\d+$/.test(s.slice(slash + 1))) return { name: s.slice(0, slash), version: s.slice(slash + 1) };
  return { name: s };
}

export async function searchPrompts(store: TrackingStore, opts: { filter?: string; maxResults?: number; pageToken?: string } = {}): Promise<Page<RegisteredModel>> {
  const filter = opts.filter ? `${PROMPT_FILTER} AND ${opts.filter}` : PROMPT_FILTER;
  const page = await store.searchRegisteredModels({ filter, maxResults: opts.maxResults, pageToken: opts.pageToken });
  return { ...page, items: page.items.filter(isPromptModel) };
}

/** Every version of a prompt, newest first. */
export async function promptVersions(store: TrackingStore, name: string): Promise<RegistryPromptVersion[]> {
  const model = await findRegisteredModel(store, name);
  const out: RegistryPromptVersion[] = [];
  // MLflow servers leave prompt versions out of a version search unless the filter names the prompt tag.
  const filter = `name = ${quoteFilterValue(name)} AND tags.\`${TAG.isPrompt}\` = 'true'`;
  for await (const mv of eachItem((pageToken) => store.searchModelVersions({ filter, maxResults: 1000, pageToken }))) {
    if (mv.name !== name) continue;
    const pv = toRegistryPromptVersion(model ? { ...mv, aliases: mergedAliases(mv, model) } : mv);
    if (pv) out.push(pv);
  }
  return out.sort((a, b) => Number(b.version) - Number(a.version));
}

export function isPromptModel(m: { tags: Tag[] }): boolean {
  return m.tags.some((t) => t.key === TAG.isPrompt && t.value === 'true');
}

export function toRegistryPromptVersion(mv: ModelVersion): RegistryPromptVersion | undefined {
  const form = readFormTags(mv.tags);
  if (!form) return undefined;
  return {
    name: mv.name,
    version: mv.version,
    form,
    template: mv.tags.find((t) => t.key === TAG.promptText)?.value ?? '',
    commitMessage: mv.description || undefined,
    tags: mv.tags.filter((t) => !isInternalPromptTag(t.key)),
    allTags: mv.tags,
    aliases: [...mv.aliases].sort(),
    creationTimestamp: mv.creationTimestamp,
    legacyStage: mv.currentStage && mv.currentStage !== 'None' ? mv.currentStage : undefined,
  };
}

async function findRegisteredModel(store: TrackingStore, name: string): Promise<RegisteredModel | undefined> {
  try {
    return await store.getRegisteredModel(name);
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw e;
  }
}

/** Servers report aliases on the model; some leave them off the version. */
export function mergedAliases(mv: ModelVersion, model: Pick<RegisteredModel, 'aliases'>): string[] {
  return [...new Set([...mv.aliases, ...model.aliases.filter((a) => a.version === mv.version).map((a) => a.alias)])];
}
