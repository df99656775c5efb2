// The registry panel's team part (part of the registry protocol, kept in its own module): who is
// signed in, which actions they may take (with why not), the open approval requests, and the
// request/approve/reject messages.
//
// webview → host: requestAlias {id, name, alias, version, note, evidenceRunId?} → RequestResult;
//   approveRequest / rejectRequest {id, name, requestId, note} → DecisionResult.
// A refusal (permissions, self-approval, stale request) is a normal result {ok:false, reason}.
import * as z from 'zod/mini';
import { idField } from './messaging';

const nameField = z.string().check(z.minLength(1), z.maxLength(500));
const noteField = z.string().check(z.maxLength(1000));

/** One alias change in a prompt's audit trail (core: AuditEntry, checked in registryProtocol.ts). */
export const auditEntrySchema = z.object({
  at: z.string(),
  author: z.string(),
  action: z.enum(['move', 'rollback', 'delete', 'request', 'approve', 'reject']),
  alias: z.string(),
  from: z.nullable(z.string()),
  to: z.nullable(z.string()),
  note: z.string(),
  evidenceRunId: z.nullable(z.string()),
  requestId: z.optional(z.string()),
  requestedBy: z.optional(z.string()),
});

/** An action the user may or may not take; `why` is the tooltip of a disabled control. */
export const gateSchema = z.object({ ok: z.boolean(), why: z.optional(z.string()) });
export type Gate = z.infer<typeof gateSchema>;

const evidenceStampSchema = z.object({ runId: z.string(), status: z.string(), passed: z.nullable(z.boolean()), passRate: z.nullable(z.number()), endTime: z.nullable(z.number()) });
export const requestViewSchema = z.object({
  id: z.string(), alias: z.string(), version: z.string(), from: z.nullable(z.string()), note: z.string(),
  evidenceRunId: z.nullable(z.string()), evidence: z.nullable(evidenceStampSchema),
  requester: z.string(), requestedAt: z.string(), latestVersion: z.string(), required: z.number(),
  status: z.enum(['open', 'approved', 'rejected']),
  decisions: z.array(z.object({ by: z.string(), at: z.string(), verdict: z.enum(['approve', 'reject']), note: z.string() })),
  stale: z.optional(z.string()),
});
export type RequestViewMessage = z.infer<typeof requestViewSchema>;

export const teamStateSchema = z.object({
  /** The MLflow user when the server has users, else the git author. */
  actor: z.string(),
  /** Whether the server has users (basic-auth): then permissions come from it. */
  signedIn: z.boolean(),
  isAdmin: z.boolean(),
  /** Alias → approvals by other users it needs (setting promptLedger.governance.approvals). */
  approvalAliases: z.record(z.string(), z.number()),
  can: z.object({ register: gateSchema, move: gateSchema, request: gateSchema, approve: gateSchema }),
  /** Open requests of the selected prompt. */
  requests: z.array(requestViewSchema),
  /** Shown when the team part could not be read (e.g. 401); the rest of the panel still works. */
  problem: z.optional(z.string()),
});
export type TeamState = z.infer<typeof teamStateSchema>;

export const teamToHostMessages = [
  z.object({ type: z.literal('requestAlias'), id: idField, name: nameField, alias: z.string().check(z.minLength(1), z.maxLength(255)), version: z.string().check(z.regex(/^\d+$/, 'version must be a number')), note: noteField, evidenceRunId: z.optional(z.string().check(z.maxLength(200))) }),
  z.object({ type: z.literal('approveRequest'), id: idField, name: nameField, requestId: z.string().check(z.regex(/^r-[0-9a-f]{1,32}$/, 'not a request id')), note: noteField }),
  z.object({ type: z.literal('rejectRequest'), id: idField, name: nameField, requestId: z.string().check(z.regex(/^r-[0-9a-f]{1,32}$/, 'not a request id')), note: noteField }),
] as const;
export type TeamToHost = z.infer<(typeof teamToHostMessages)[number]>;

export const requestResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), request: requestViewSchema, entry: auditEntrySchema }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export const decisionResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), request: requestViewSchema, entry: auditEntrySchema, moved: z.boolean() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
