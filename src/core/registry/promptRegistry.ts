// The prompt registry on any TrackingStore: versions with their git provenance and eval evidence,
// registration without duplicates, alias moves under governance, rollback, and the audit trail.
import { parsePromptFile } from '../prompts/promptFile';
import type { ModelVersion, Run, TrackingStore } from '../tracking/types';
import { isTrackingError, TrackingError } from '../tracking/types';
import { validateAlias, validatePromptName } from '../tracking/validation';
import { MAX_AUTHOR_LENGTH, MAX_NOTE_LENGTH, planAuditAppend, readAuditTags, type AuditEntry } from './auditLog';
import { isRunLinked, recentRuns, toLinkedRun, type LinkedRun } from './linkedRuns';
import { mlflowVariables, sameForm, type MlflowPromptForm } from './promptForm';
import { isPromptModel, mergedAliases, promptVersions, registerPrompt, searchPrompts } from './promptStore';
import { pythonUsageSnippet } from './pythonSnippet';
import { toMlflowForm } from './promptToMlflow';
import { TAG } from './registryTags';
import { contentHashOf, resolveEvidence } from './evidence';
import { check, learnDenial, type Access } from './permissions';
import { allItems } from '../tracking/pages';
import { quoteFilterValue } from '../tracking/filter';

export interface PromptSummary { name: string; aliases: { alias: string; version: string }[]; description?: string }

export interface PromptVersionInfo {
  name: string;
  version: string;
  /** mlflow.prompt.text as stored (text, or the messages' JSON). */
  template: string;
  /** What a serving app loads: text or messages, model config, response format. */
  form: MlflowPromptForm;
  /** The variables MLflow's PromptVersion.format() expects. */
  variables: string[];
  /** Loading and formatting this version with MLflow's Python client. */
  pythonSnippet: string;
  commitMessage?: string;
  gitCommit?: string;
  contentHash?: string;
  sourcePath?: string;
  creationTimestamp?: number;
  aliases: string[];
  /** Legacy stage, shown read-only (aliases replace stages since MLflow 2.9). */
  legacyStage?: string;
  linkedRuns: LinkedRun[];
}

export interface Governance {
  /** Aliases that may only point at a version with a passing linked eval run. */
  requirePassingEvalFor: string[];
  /** Aliases whose moves need approvals by other users (alias → how many); see approvals.ts. */
  approvals?: Record<string, number>;
}

/** Both rules stack: an approval-governed alias that also needs a passing eval needs both. */
export function governanceFrom(requiresEval: boolean, approvals: Record<string, number> = {}): Governance {
  return { requirePassingEvalFor: requiresEval ? ['production'] : [], approvals };
}

/** A prompt file to register: its text, where it lives, its content hash and git commit. */
export interface RegisterInput { name: string; sourceText: string; contentHash: string; gitCommit?: string; sourcePath?: string; commitMessage?: string }
export interface RegisterResult {
  version: string;
  reused: boolean;
  form: MlflowPromptForm;
  /** File fields MLflow's forms have no place for (kept in the registered source text only). */
  notCarried: string[];
}
export interface MoveAliasInput {
  name: string; alias: string; version: string; note: string; author: string; evidenceRunId?: string; governance: Governance;
  /** Who acts, with their grants on a server with users: refusals happen before any write. */
  access?: Access;
  /** CI: name the evidence run instead of taking the latest passing one. */
  requireExplicitEvidence?: boolean;
}
export interface RollbackInput { name: string; alias: string; note: string; author: string; access?: Access }

export type AliasChangeResult =
  | { ok: true; entry: AuditEntry }
  | { ok: false; reason: string };

export async function listPrompts(store: TrackingStore): Promise<PromptSummary[]> {
  const models = await allItems((pageToken) => searchPrompts(store, { maxResults: 1000, pageToken }));
  return models.map((m) => ({ name: m.name, aliases: m.aliases, description: m.description })).sort((a, b) => a.name.localeCompare(b.name));
}

/** A registered model that is not a prompt (the Registry view lists them after the prompts). */
export interface ModelVersionSummary { name: string; version: string; aliases: string[]; legacyStage?: string }

/** Registered models that are not prompts, by name. */
export async function listModels(store: TrackingStore): Promise<PromptSummary[]> {
  const models = await allItems((pageToken) => store.searchRegisteredModels({ maxResults: 1000, pageToken }));
  return models.filter((m) => !isPromptModel(m)).map((m) => ({ name: m.name, aliases: m.aliases, description: m.description })).sort((a, b) => a.name.localeCompare(b.name));
}

/** A registered model's versions, newest first, with the aliases the model reports merged in. */
export async function listModelVersions(store: TrackingStore, model: { name: string; aliases: { alias: string; version: string }[] }): Promise<ModelVersionSummary[]> {
  const versions = await allItems((pageToken) => store.searchModelVersions({ filter: `name = ${quoteFilterValue(model.name)}`, maxResults: 1000, pageToken }));
  return versions
    .filter((v) => v.name === model.name)
    .sort((a, b) => Number(b.version) - Number(a.version))
    .map((v) => ({
      name: v.name, version: v.version, aliases: mergedAliases(v, model).sort(),
      legacyStage: v.currentStage && v.currentStage !== 'None' ? v.currentStage : undefined,
    }));
}

/** Newest version first. `runs` lets a caller reuse one run listing for several prompts. */
export async function listPromptVersions(store: TrackingStore, name: string, opts: { runs?: Run[] } = {}): Promise<PromptVersionInfo[]> {
  const versions = await promptVersions(store, name);
  const runs = opts.runs ?? (await recentRuns(store));
  return versions.map((pv) => {
    const tag = (k: string) => pv.allTags.find((t) => t.key === k)?.value;
    const contentHash = tag(TAG.contentHash);
    const variables = mlflowVariables(pv.form);
    const alias = ['production', 'staging'].find((a) => pv.aliases.includes(a)) ?? pv.aliases[0];
    return {
      name,
      version: pv.version,
      template: pv.template,
      form: pv.form,
      variables,
      pythonSnippet: pythonUsageSnippet(name, alias ? { alias } : { version: pv.version }, pv.form, variables),
      commitMessage: pv.commitMessage,
      gitCommit: tag(TAG.gitCommit),
      contentHash,
      sourcePath: tag(TAG.sourcePath),
      creationTimestamp: pv.creationTimestamp,
      aliases: pv.aliases,
      legacyStage: pv.legacyStage,
      linkedRuns: runs.filter((r) => isRunLinked(r, name, pv.version, contentHash)).map(toLinkedRun),
    };
  });
}

/**
 * Registers the file in MLflow's own form (chat or text, model config, response format) unless a
 * version with the same content hash exists — or, for a version made elsewhere (MLflow's UI,
 * Python, a pull), the same form — and then reuses it. Unparseable or unrepresentable prompts
 * are refused before anything is written.
 */
export async function registerPromptVersion(store: TrackingStore, input: RegisterInput, opts: { access?: Access } = {}): Promise<RegisterResult> {
  validatePromptName(input.name);
  if (!input.contentHash) throw new Error(`registerPromptVersion: contentHash is required for '${input.name}' (compute it from the prompt file before registering)`);
  const path = input.sourcePath ?? `${input.name}.prompty`;
  const converted = toMlflowForm(parsePromptFile(input.sourceText, path), input.sourceText);
  const existing = await promptVersions(store, input.name).catch((e: unknown) => {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return [];
    throw e;
  });
  const same = existing.find((v) => v.allTags.some((t) => t.key === TAG.contentHash && t.value === input.contentHash))
    ?? existing.find((v) => !v.allTags.some((t) => t.key === TAG.contentHash) && sameForm(v.form, converted.form));
  if (same) return { version: same.version, reused: true, form: same.form, notCarried: converted.notCarried };
  // A new version of an existing prompt needs EDIT on it; who may create prompts only the server knows.
  if (opts.access && existing.length) {
    const may = check(opts.access, 'edit', { type: 'prompt', id: input.name }, 'registering a version');
    if (!may.ok) throw new TrackingError('PERMISSION_DENIED', may.reason, 403);
  }
  const tags = [
    { key: TAG.contentHash, value: input.contentHash },
    ...(input.gitCommit ? [{ key: TAG.gitCommit, value: input.gitCommit }] : []),
    ...(input.sourcePath ? [{ key: TAG.sourcePath, value: input.sourcePath }] : []),
    ...converted.metadataTags,
    ...(input.sourceText.length <= MAX_SOURCE_TAG ? [{ key: TAG.sourceText, value: input.sourceText }] : []),
  ];
  const description = converted.metadataTags.find((t) => t.key === TAG.description)?.value;
  const pv = await registerPrompt(store, input.name, converted.form, { commitMessage: input.commitMessage, tags, description });
  return { version: pv.version, reused: false, form: pv.form, notCarried: converted.notCarried };
}

/** Registry tags hold at most 100,000 characters; the form tags need room too. */
const MAX_SOURCE_TAG = 45_000;

export async function moveAlias(store: TrackingStore, input: MoveAliasInput): Promise<AliasChangeResult> {
  const bad = checkCommon(input.alias, input.note, input.author);
  if (bad) return { ok: false, reason: bad };
  const approvals = input.governance.approvals?.[input.alias] ?? 0;
  if (approvals > 0) {
    return { ok: false, reason: `Governance: '${input.alias}' moves only with the approval of ${approvals === 1 ? 'another user' : `${approvals} other users`} (setting promptLedger.governance.approvals). Request the move (Registry panel "Request approval", or \`prompt-ledger prompt promote ${input.name} --to ${input.alias} --version ${input.version} --note …\`).` };
  }
  if (input.access) {
    const may = check(input.access, 'edit', { type: 'prompt', id: input.name }, `moving '${input.alias}'`);
    if (!may.ok) return may;
  }
  let target: ModelVersion;
  try { target = await store.getModelVersion(input.name, input.version); } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) return { ok: false, reason: `Prompt '${input.name}' has no version ${input.version}.` };
    throw e;
  }
  const model = await store.getRegisteredModel(input.name);
  const from = model.aliases.find((a) => a.alias === input.alias)?.version ?? null;
  if (from === input.version) return { ok: false, reason: `Alias '${input.alias}' already points to version ${input.version}.` };

  const evidence = await resolveEvidence(store, {
    name: input.name, version: input.version, alias: input.alias, contentHash: contentHashOf(target.tags), evidenceRunId: input.evidenceRunId,
    requirePassing: input.governance.requirePassingEvalFor.includes(input.alias), requireExplicit: input.requireExplicitEvidence,
  });
  if (!evidence.ok) return evidence;
  const evidenceRunId = evidence.runId ?? input.evidenceRunId ?? null;
  const entry: AuditEntry = { at: new Date().toISOString(), author: input.author.trim(), action: 'move', alias: input.alias, from, to: input.version, note: input.note.trim(), evidenceRunId };
  try {
    // Audit first: a failed alias write leaves an entry that says what was attempted, never a silent move.
    await appendAudit(store, input.name, entry);
    await store.setAlias(input.name, input.alias, input.version);
  } catch (e) {
    if (!input.access) throw e;
    return { ok: false, reason: learnDenial(e, { type: 'prompt', id: input.name }, input.access, `moving '${input.alias}'`) };
  }
  return { ok: true, entry };
}

/**
 * Moves the alias back to the version it pointed to before its latest move (from the audit
 * trail). Rollback is the emergency exit, so governance does not block it; it is audited.
 */
export async function rollbackAlias(store: TrackingStore, input: RollbackInput): Promise<AliasChangeResult> {
  const bad = checkCommon(input.alias, input.note, input.author);
  if (bad) return { ok: false, reason: bad };
  if (input.access) {
    const may = check(input.access, 'edit', { type: 'prompt', id: input.name }, `rolling back '${input.alias}'`);
    if (!may.ok) return may;
  }
  const model = await store.getRegisteredModel(input.name);
  const current = model.aliases.find((a) => a.alias === input.alias)?.version ?? null;
  if (current === null) return { ok: false, reason: `Alias '${input.alias}' is not set on '${input.name}'; nothing to roll back.` };
  const trail = readAuditTags(model.tags).filter((e) => e.alias === input.alias && e.to === current);
  const last = trail[trail.length - 1];
  if (!last) return { ok: false, reason: `No audit entry shows how '${input.alias}' reached version ${current}; move it explicitly instead.` };
  if (last.from === null) return { ok: false, reason: `'${input.alias}' had no earlier version before v${current}; move it explicitly instead.` };
  const entry: AuditEntry = { at: new Date().toISOString(), author: input.author.trim(), action: 'rollback', alias: input.alias, from: current, to: last.from, note: input.note.trim(), evidenceRunId: null };
  await appendAudit(store, input.name, entry);
  await store.setAlias(input.name, input.alias, last.from);
  return { ok: true, entry };
}

/** Oldest first. */
export async function auditTrail(store: TrackingStore, name: string): Promise<AuditEntry[]> {
  return readAuditTags((await store.getRegisteredModel(name)).tags);
}

async function appendAudit(store: TrackingStore, name: string, entry: AuditEntry): Promise<void> {
  const model = await store.getRegisteredModel(name);
  for (const t of planAuditAppend(model.tags, entry)) await store.setRegisteredModelTag(name, t.key, t.value);
}

export function checkCommon(alias: string, note: string, author: string): string | undefined {
  try { validateAlias(alias); } catch (e) { return (e as Error).message; }
  if (!note.trim()) return 'A note is required: say why the alias moves (it goes into the audit trail).';
  if (note.length > MAX_NOTE_LENGTH) return `The note is ${note.length} characters; keep it under ${MAX_NOTE_LENGTH}.`;
  if (!author.trim()) return 'An author is required for the audit trail (set git user.name or promptLedger.author).';
  if (author.length > MAX_AUTHOR_LENGTH) return `The author name is longer than ${MAX_AUTHOR_LENGTH} characters.`;
  return undefined;
}

