// Host-side logic of the registry panel, free of VS Code (registryPanel.ts adds the glue).
import { auditTrail, governanceFrom, listPromptVersions, listPrompts, moveAlias, registerPromptVersion, rollbackAlias, type RegisterInput } from '../../core/registry/promptRegistry';
import type { TrackingStore } from '../../core/tracking/types';
import { replyTo } from '../../protocol/messaging';
import { registryToHostSchema, type RegistryResults, type RegistryState, type RegistryToHost, type RegistryToWebview } from '../../protocol/registryProtocol';
import { isTeamMessage, RegistryTeam } from './registryTeam';
import { handleWebviewMessage } from './webviewRequests';

const reply = replyTo<RegistryResults>();

/** The editor's prompt file as the registry takes it (the same shape the CLI registers). */
export type ActivePrompt = RegisterInput;

export interface RegistrySessionDeps {
  store: TrackingStore;
  post(msg: RegistryToWebview): void;
  openRun(runId: string): void;
  openLink(url: string): void;
  log(message: string): void;
  /** Asked after an alias moved, so trees/CodeLens can refresh. */
  onChanged?(): void;
  /** Puts text on the system clipboard (vscode.env.clipboard in the panel). */
  copyToClipboard?(text: string): Promise<void>;
  /** Opens the Monitor panel on `name/version` (command promptLedger.showMonitor). */
  showMonitor?(ref: string): void;
}

export interface RegistrySessionOptions {
  promptName?: string;
  governanceRequiresEval: boolean;
  author: string;
  activePrompt?: ActivePrompt;
  serverUrl?: string | null;
  /** Aliases whose moves need approvals (setting promptLedger.governance.approvals). */
  approvals?: Record<string, number>;
  /** How to sign in as another MLflow user, named in permission refusals. */
  switchUserHint?: string;
}

export class RegistrySession {
  private selected: string | null;
  /** Signed-in user, permissions and approval requests (registryTeam.ts). */
  private readonly team: RegistryTeam;

  constructor(private readonly deps: RegistrySessionDeps, private readonly opts: RegistrySessionOptions) {
    this.selected = opts.promptName ?? opts.activePrompt?.name ?? null;
    this.team = new RegistryTeam(deps.store, { governance: governanceFrom(opts.governanceRequiresEval, opts.approvals), author: opts.author, switchUserHint: opts.switchUserHint ?? 'set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD' });
  }

  handle(raw: unknown): Promise<void> {
    return handleWebviewMessage(registryToHostSchema, raw, 'registry panel host', this.deps, (msg) => this.answer(msg));
  }

  private async answer(msg: RegistryToHost): Promise<void> {
    const gov = governanceFrom(this.opts.governanceRequiresEval, this.opts.approvals);
    if (isTeamMessage(msg)) {
      const r = await this.team.handle(msg);
      this.deps.post(reply.ok(msg, r));
      if (r.ok) await this.pushUpdate();
      return;
    }
    switch (msg.type) {
      case 'ready': this.deps.post({ type: 'init', state: await this.state() }); return;
      case 'refresh': this.deps.post(reply.ok(msg, { state: await this.state() })); return;
      case 'selectPrompt': this.selected = msg.name; this.deps.post(reply.ok(msg, { state: await this.state() })); return;
      case 'register': {
        const a = this.opts.activePrompt;
        if (!a) { this.deps.post(reply.error(msg, 'Open a prompt file in the editor to register it.')); return; }
        const r = await registerPromptVersion(this.deps.store, a, { access: await this.team.currentAccess(true) });
        this.selected = a.name;
        this.deps.post(reply.ok(msg, r));
        await this.pushUpdate();
        return;
      }
      case 'moveAlias': {
        const access = await this.team.currentAccess(true);
        const r = await moveAlias(this.deps.store, { name: msg.name, alias: msg.alias, version: msg.version, note: msg.note, author: access.actor, evidenceRunId: msg.evidenceRunId, governance: gov, access });
        this.deps.post(reply.ok(msg, r));
        if (r.ok) await this.pushUpdate();
        return;
      }
      case 'rollback': {
        const access = await this.team.currentAccess(true);
        const r = await rollbackAlias(this.deps.store, { name: msg.name, alias: msg.alias, note: msg.note, author: access.actor, access });
        this.deps.post(reply.ok(msg, r));
        if (r.ok) await this.pushUpdate();
        return;
      }
      case 'copyPythonSnippet': {
        if (!this.deps.copyToClipboard) { this.deps.post(reply.error(msg, 'This panel has no clipboard access.')); return; }
        // From the registry, not from the webview: what lands on the clipboard is what MLflow holds now.
        const v = (await listPromptVersions(this.deps.store, msg.name, { runs: [] })).find((x) => x.version === msg.version);
        if (!v) { this.deps.post(reply.error(msg, `Prompt '${msg.name}' has no version ${msg.version}.`)); return; }
        await this.deps.copyToClipboard(v.pythonSnippet);
        this.deps.post(reply.ok(msg, { text: v.pythonSnippet }));
        return;
      }
      case 'openRun': this.deps.openRun(msg.runId); return;
      case 'showMonitor': this.deps.showMonitor?.(`${msg.name}/${msg.version}`); return;
      case 'openLink': this.deps.openLink(msg.url); return;
    }
  }

  private async pushUpdate(): Promise<void> {
    this.deps.onChanged?.();
    this.deps.post({ type: 'update', state: await this.state() });
  }

  async state(): Promise<RegistryState> {
    const store = this.deps.store;
    const prompts = (await listPrompts(store)).map((p) => p.name);
    if (this.selected && !prompts.includes(this.selected)) this.selected = this.opts.activePrompt?.name === this.selected ? this.selected : prompts[0] ?? null;
    if (!this.selected) this.selected = prompts[0] ?? null;
    const exists = this.selected !== null && prompts.includes(this.selected);
    const versions = exists ? await listPromptVersions(store, this.selected!) : [];
    const model = exists ? await store.getRegisteredModel(this.selected!) : undefined;
    const team = await this.team.state(exists ? this.selected : null);
    const a = this.opts.activePrompt;
    let registeredVersion: string | null = null;
    if (a) {
      const same = a.name === this.selected ? versions : prompts.includes(a.name) ? await listPromptVersions(store, a.name, { runs: [] }) : [];
      registeredVersion = same.find((v) => v.contentHash === a.contentHash)?.version ?? null;
    }
    return {
      storeKind: store.kind,
      storeLocation: store.location,
      prompts,
      selected: this.selected,
      versions,
      aliases: model?.aliases ?? [],
      audit: exists ? await auditTrail(store, this.selected!) : [],
      governanceRequiresEval: this.opts.governanceRequiresEval,
      governedAliases: governanceFrom(this.opts.governanceRequiresEval).requirePassingEvalFor,
      author: team.actor,
      activePrompt: a ? { name: a.name, contentHash: a.contentHash, gitCommit: a.gitCommit, sourcePath: a.sourcePath, registeredVersion } : null,
      serverUrl: this.opts.serverUrl ?? null,
      team,
    };
  }
}
