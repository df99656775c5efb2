// Messages between the extension host and the registry panel webview.
//
// webview → host: ready; selectPrompt {id, name}; refresh {id}; register {id} (registers the
//   active editor's prompt) → {version, reused, form, notCarried}; moveAlias {id, name, alias,
//   version, note, evidenceRunId?} → AliasChangeResult; rollback {id, name, alias, note} →
//   AliasChangeResult; openRun {runId}; openLink {url}; copyPythonSnippet {id, name, version} →
//   {text} (the host reads the snippet from the registry and writes it with vscode.env.clipboard:
//   the webview's own clipboard API depends on focus and iframe permissions, which differ between
//   VS Code desktop, code-server and browsers, and the webview never chooses what lands there);
//   showMonitor {name, version} (opens the Monitor panel on that version's production traces).
// host → webview: init {state}, update {state}, error {message}, reply.
// A governance refusal is a normal result ({ok:false, reason}), not a transport error.
import * as z from 'zod/mini';
import type { AuditEntry } from '../core/registry/auditLog';
import type { PromptVersionInfo } from '../core/registry/promptRegistry';
import { idField, openLinkSchema, readySchema, replyEnvelopeSchema, type RequestType, type SameType } from './messaging';
import { auditEntrySchema, decisionResultSchema, requestResultSchema, teamStateSchema, teamToHostMessages } from './registryTeamProtocol';

export { auditEntrySchema };

const aliasField = z.string().check(z.minLength(1), z.maxLength(255));
const nameField = z.string().check(z.minLength(1), z.maxLength(500));
const versionField = z.string().check(z.regex(/^\d+$/, 'version must be a number'));


export const linkedRunSchema = z.object({
  runId: z.string(), runName: z.string(), experimentId: z.string(), startTime: z.number(), status: z.string(),
  passRate: z.nullable(z.number()), passed: z.nullable(z.boolean()),
});

const formExtras = {
  modelConfig: z.optional(z.record(z.string(), z.unknown())),
  responseFormat: z.optional(z.record(z.string(), z.unknown())),
};
export const promptFormSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), template: z.string(), ...formExtras }),
  z.object({ type: z.literal('chat'), messages: z.array(z.object({ role: z.string(), content: z.string() })), ...formExtras }),
]);

export const promptVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  template: z.string(),
  form: promptFormSchema,
  variables: z.array(z.string()),
  /** Loading and formatting this version with MLflow's Python client. */
  pythonSnippet: z.string(),
  commitMessage: z.optional(z.string()),
  gitCommit: z.optional(z.string()),
  contentHash: z.optional(z.string()),
  sourcePath: z.optional(z.string()),
  creationTimestamp: z.optional(z.number()),
  aliases: z.array(z.string()),
  legacyStage: z.optional(z.string()),
  linkedRuns: z.array(linkedRunSchema),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const auditMatchesCore: Same<z.infer<typeof auditEntrySchema>, AuditEntry> = true;
export const versionMatchesCore: Same<z.infer<typeof promptVersionSchema>, PromptVersionInfo> = true;

export const registryStateSchema = z.object({
  storeKind: z.enum(['mlflow', 'embedded']),
  storeLocation: z.string(),
  prompts: z.array(z.string()),
  selected: z.nullable(z.string()),
  versions: z.array(promptVersionSchema),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })),
  audit: z.array(auditEntrySchema),
  governanceRequiresEval: z.boolean(),
  governedAliases: z.array(z.string()),
  author: z.string(),
  activePrompt: z.nullable(z.object({
    name: z.string(), contentHash: z.string(), gitCommit: z.optional(z.string()), sourcePath: z.optional(z.string()),
    /** Version already registered with this content hash, if any. */
    registeredVersion: z.nullable(z.string()),
  })),
  /** The MLflow server's UI base URL (links to runs), null for the embedded store. */
  serverUrl: z.nullable(z.string()),
  /** Signed-in user, what they may do, open approval requests (registryTeamProtocol.ts). */
  team: z.optional(teamStateSchema),
});
export type RegistryState = z.infer<typeof registryStateSchema>;

export const aliasChangeResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entry: auditEntrySchema }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export const registerResultSchema = z.object({ version: z.string(), reused: z.boolean(), form: promptFormSchema, notCarried: z.array(z.string()) });
export const stateResultSchema = z.object({ state: registryStateSchema });
export const copiedResultSchema = z.object({ text: z.string() });

export const registryToHostSchema = z.discriminatedUnion('type', [
  readySchema,
  z.object({ type: z.literal('selectPrompt'), id: idField, name: nameField }),
  z.object({ type: z.literal('refresh'), id: idField }),
  z.object({ type: z.literal('register'), id: idField }),
  z.object({ type: z.literal('moveAlias'), id: idField, name: nameField, alias: aliasField, version: versionField, note: z.string().check(z.maxLength(1000)), evidenceRunId: z.optional(z.string().check(z.maxLength(200))) }),
  z.object({ type: z.literal('rollback'), id: idField, name: nameField, alias: aliasField, note: z.string().check(z.maxLength(1000)) }),
  z.object({ type: z.literal('openRun'), runId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  z.object({ type: z.literal('copyPythonSnippet'), id: idField, name: nameField, version: versionField }),
  z.object({ type: z.literal('showMonitor'), name: nameField, version: versionField }),
  openLinkSchema,
  ...teamToHostMessages,
]);
export type RegistryToHost = z.infer<typeof registryToHostSchema>;

export const registryToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), state: registryStateSchema }),
  z.object({ type: z.literal('update'), state: registryStateSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
  replyEnvelopeSchema,
]);
export type RegistryToWebview = z.infer<typeof registryToWebviewSchema>;

/** Each request's reply result: the webview's client and the host's replies are typed by it. */
export interface RegistryResults {
  selectPrompt: z.infer<typeof stateResultSchema>;
  refresh: z.infer<typeof stateResultSchema>;
  register: z.infer<typeof registerResultSchema>;
  moveAlias: z.infer<typeof aliasChangeResultSchema>;
  rollback: z.infer<typeof aliasChangeResultSchema>;
  copyPythonSnippet: z.infer<typeof copiedResultSchema>;
  requestAlias: z.infer<typeof requestResultSchema>;
  approveRequest: z.infer<typeof decisionResultSchema>;
  rejectRequest: z.infer<typeof decisionResultSchema>;
}
export const registryResultsCoverRequests: SameType<keyof RegistryResults, RequestType<RegistryToHost>> = true;
