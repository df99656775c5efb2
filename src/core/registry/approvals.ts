// Two-person approval of governed aliases (setting promptLedger.governance.approvals, e.g.
// {"production": 1}). Moving such an alias becomes a request, kept on the server as the
// registered-model tag `promptledger.request.<id>` (one JSON object; registered-model tags are
// VARCHAR(5000) on PostgreSQL/MySQL, so one request per tag, with notes capped). Another user with
// MANAGE on the prompt approves or rejects it; the last needed approval moves the alias. Every
// step goes into the audit trail. A request goes stale when a newer version is registered, the
// alias moved meanwhile, a newer request for the alias was made, or its evidence run changed;
// stale requests can only be rejected. Steps: plan (checks, reads only) → execute (writes).
import { randomBytes } from 'node:crypto';
import type { RegisteredModel, TrackingStore } from '../tracking/types';
import { isTrackingError } from '../tracking/types';
import { AUDIT_TAG_BUDGET, planAuditAppend, type AuditEntry } from './auditLog';
import { contentHashOf, evidenceChange, resolveEvidence, type EvidenceStamp } from './evidence';
import { check, learnDenial, type Access } from './permissions';
import { checkCommon, type Governance } from './promptRegistry';
import { promptVersions } from './promptStore';
import { TAG } from './registryTags';

export interface Decision { by: string; at: string; verdict: 'approve' | 'reject'; note: string }

export interface AliasRequest {
  id: string;
  alias: string;
  version: string;
  /** Where the alias pointed when the request was made (null: unset). */
  from: string | null;
  note: string;
  evidenceRunId: string | null;
  evidence: EvidenceStamp | null;
  requester: string;
  requestedAt: string;
  /** Newest registered version when the request was made. */
  latestVersion: string;
  /** Approvals by people other than the requester that move the alias. */
  required: number;
  status: 'open' | 'approved' | 'rejected';
  decisions: Decision[];
}

/** A request as reviewers see it: `stale` says why it can no longer be approved. */
export type RequestView = AliasRequest & { stale?: string };

export type RequestResult = { ok: true; request: AliasRequest; entry: AuditEntry } | { ok: false; reason: string };
export type DecisionResult = { ok: true; request: AliasRequest; entry: AuditEntry; moved: boolean } | { ok: false; reason: string };

export interface RequestInput { name: string; alias: string; version: string; note: string; evidenceRunId?: string; governance: Governance; access: Access; requireExplicitEvidence?: boolean }
export interface DecideInput { name: string; requestId: string; note: string; governance: Governance; access: Access }

const KEY_PREFIX = `${TAG.request}.`;

export function approvalsRequired(governance: Governance, alias: string): number {
  return governance.approvals?.[alias] ?? 0;
}

export function readRequests(model: Pick<RegisteredModel, 'tags'>): AliasRequest[] {
  const out: AliasRequest[] = [];
  for (const t of model.tags) {
    if (!t.key.startsWith(KEY_PREFIX)) continue;
    try {
      const r = JSON.parse(t.value) as AliasRequest;
      if (r && typeof r.id === 'string' && typeof r.alias === 'string' && Array.isArray(r.decisions)) out.push(r);
    } catch { /* a hand-edited tag must not hide the other requests */ }
  }
  return out.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** Open requests, oldest first, each with why it is stale (if it is). */
export async function openRequests(store: TrackingStore, name: string): Promise<RequestView[]> {
  const model = await store.getRegisteredModel(name);
  const open = readRequests(model).filter((r) => r.status === 'open');
  if (!open.length) return [];
  const latest = await latestVersion(store, name);
  return Promise.all(open.map(async (r) => ({ ...r, stale: await staleReason(store, model, r, latest) })));
}

export async function requestAliasMove(store: TrackingStore, input: RequestInput): Promise<RequestResult> {
  const { name, alias, version, access } = input;
  const bad = checkCommon(alias, input.note, access.actor);
  if (bad) return { ok: false, reason: bad };
  const required = approvalsRequired(input.governance, alias);
  if (required < 1) return { ok: false, reason: `'${alias}' needs no approval (setting promptLedger.governance.approvals); move it directly.` };
  const may = check(access, 'edit', { type: 'prompt', id: name }, `requesting a move of '${alias}'`);
  if (!may.ok) return may;
  let target;
  try { target = await store.getModelVersion(name, version); } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE')) return { ok: false, reason: `Prompt '${name}' has no version ${version}.` };
    throw e;
  }
  const model = await store.getRegisteredModel(name);
  const from = model.aliases.find((a) => a.alias === alias)?.version ?? null;
  if (from === version) return { ok: false, reason: `Alias '${alias}' already points to version ${version}.` };
  const dup = readRequests(model).find((r) => r.status === 'open' && r.alias === alias && r.version === version && r.from === from);
  if (dup) return { ok: false, reason: `Request ${dup.id} by ${dup.requester} already asks to move '${alias}' to v${version}; a reviewer approves it with \`prompt-ledger prompt approve ${name} ${dup.id} --note …\` or in the Registry panel.` };
  const evidence = await resolveEvidence(store, {
    name, version, alias, contentHash: contentHashOf(target.tags), evidenceRunId: input.evidenceRunId,
    requirePassing: input.governance.requirePassingEvalFor.includes(alias), requireExplicit: input.requireExplicitEvidence,
  });
  if (!evidence.ok) return evidence;
  const request: AliasRequest = {
    id: `r-${randomBytes(4).toString('hex')}`, alias, version, from, note: input.note.trim(),
    evidenceRunId: evidence.runId, evidence: evidence.stamp, requester: access.actor, requestedAt: new Date().toISOString(),
    latestVersion: (await latestVersion(store, name)) ?? version, required, status: 'open', decisions: [],
  };
  const entry: AuditEntry = { at: request.requestedAt, author: access.actor, action: 'request', alias, from, to: version, note: request.note, evidenceRunId: request.evidenceRunId, requestId: request.id };
  const tagValue = fitRequest(request);
  if (typeof tagValue !== 'string') return tagValue;
  const denied = await writeGuarded(store, name, access, `requesting a move of '${alias}'`, async () => {
    await appendAudit(store, name, model, entry);
    await store.setRegisteredModelTag(name, `${KEY_PREFIX}${request.id}`, tagValue);
  });
  return denied ? { ok: false, reason: denied } : { ok: true, request, entry };
}

export function approveRequest(store: TrackingStore, input: DecideInput): Promise<DecisionResult> {
  return decide(store, input, 'approve');
}

export function rejectRequest(store: TrackingStore, input: DecideInput): Promise<DecisionResult> {
  return decide(store, input, 'reject');
}

async function decide(store: TrackingStore, input: DecideInput, verdict: Decision['verdict']): Promise<DecisionResult> {
  const { name, access } = input;
  const verb = verdict === 'approve' ? 'approving' : 'rejecting';
  if (!input.note.trim()) return { ok: false, reason: `A note is required: say why you ${verdict} (it goes into the audit trail).` };
  const bad = checkCommon('x', input.note, access.actor);
  if (bad) return { ok: false, reason: bad };
  const model = await store.getRegisteredModel(name);
  const request = readRequests(model).find((r) => r.id === input.requestId);
  if (!request) return { ok: false, reason: `Prompt '${name}' has no request ${input.requestId}; list the open ones with \`prompt-ledger prompt requests ${name}\`.` };
  if (request.status !== 'open') return { ok: false, reason: `Request ${request.id} is already ${request.status}.` };
  if (request.requester === access.actor) return { ok: false, reason: `Request ${request.id} is yours (${access.actor}): another user with MANAGE on '${name}' must ${verdict} it.` };
  if (request.decisions.some((d) => d.by === access.actor)) return { ok: false, reason: `You (${access.actor}) already decided on request ${request.id}.` };
  const may = check(access, 'manage', { type: 'prompt', id: name }, `${verb} a request`, { strict: true });
  if (!may.ok) return may;
  if (verdict === 'approve') {
    const stale = await staleReason(store, model, request, await latestVersion(store, name));
    if (stale) return { ok: false, reason: `Request ${request.id} is stale: ${stale}. Reject it and request again for the version you mean.` };
  }
  const at = new Date().toISOString();
  const decided: AliasRequest = { ...request, decisions: [...request.decisions, { by: access.actor, at, verdict, note: input.note.trim() }] };
  const approvals = decided.decisions.filter((d) => d.verdict === 'approve').length;
  const moves = verdict === 'approve' && approvals >= request.required;
  decided.status = verdict === 'reject' ? 'rejected' : moves ? 'approved' : 'open';
  const entry: AuditEntry = {
    at, author: access.actor, action: moves ? 'move' : verdict, alias: request.alias, from: request.from, to: request.version,
    note: input.note.trim(), evidenceRunId: request.evidenceRunId, requestId: request.id, ...(moves ? { requestedBy: request.requester } : {}),
  };
  const tagValue = fitRequest(decided);
  if (typeof tagValue !== 'string') return tagValue;
  const denied = await writeGuarded(store, name, access, `${verb} a request`, async () => {
    // Audit first: a failed later write leaves an entry that says what was attempted.
    await appendAudit(store, name, model, entry);
    await store.setRegisteredModelTag(name, `${KEY_PREFIX}${request.id}`, tagValue);
    if (moves) await store.setAlias(name, request.alias, request.version);
  });
  return denied ? { ok: false, reason: denied } : { ok: true, request: decided, entry, moved: moves };
}

async function staleReason(store: TrackingStore, model: RegisteredModel, r: AliasRequest, latest: string | undefined): Promise<string | undefined> {
  if (latest !== undefined && Number(latest) > Number(r.latestVersion)) return `v${latest} was registered after it was made (it asks for v${r.version})`;
  const now = model.aliases.find((a) => a.alias === r.alias)?.version ?? null;
  if (now !== r.from) return `'${r.alias}' moved since (${r.from ? `v${r.from}` : 'unset'} → ${now ? `v${now}` : 'unset'})`;
  const newer = readRequests(model).find((o) => o.status === 'open' && o.alias === r.alias && o.id !== r.id && o.requestedAt > r.requestedAt);
  if (newer) return `request ${newer.id} for '${r.alias}' was made after it`;
  if (r.evidence) return evidenceChange(store, r.evidence);
  return undefined;
}

async function latestVersion(store: TrackingStore, name: string): Promise<string | undefined> {
  return (await promptVersions(store, name))[0]?.version;
}

/** The request's JSON if it fits one registered-model tag, else the refusal. */
function fitRequest(r: AliasRequest): string | { ok: false; reason: string } {
  const value = JSON.stringify(r);
  return value.length <= AUDIT_TAG_BUDGET ? value : { ok: false, reason: `The request with its notes is ${value.length} characters, over the ${AUDIT_TAG_BUDGET}-character registry tag limit; shorten the note.` };
}

async function appendAudit(store: TrackingStore, name: string, model: RegisteredModel, entry: AuditEntry): Promise<void> {
  for (const t of planAuditAppend(model.tags, entry)) await store.setRegisteredModelTag(name, t.key, t.value);
}

/** Runs the writes; a 403 becomes the refusal (naming the grant), remembered for the session. */
async function writeGuarded(store: TrackingStore, name: string, access: Access, what: string, writes: () => Promise<void>): Promise<string | undefined> {
  try { await writes(); return undefined; } catch (e) {
    return learnDenial(e, { type: 'prompt', id: name }, access, what);
  }
}
