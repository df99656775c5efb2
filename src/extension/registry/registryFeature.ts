// The Registry view and its commands: register the active prompt's text as a version, move an
// alias (with a note, an author and governance), roll an alias back, open the registry panel.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  governanceFrom, listPrompts, listPromptVersions, moveAlias, registerPromptVersion, rollbackAlias, type AliasChangeResult,
} from '../../core/registry/promptRegistry';
import type { TrackingStore } from '../../core/tracking/types';
import { readConfig, workspaceRoot } from '../config';
import { targetUri } from '../eval/targetUri';
import { openRegistryPanel, restoredRegistryPanel } from '../panels/registryPanel';
import { registerPanelSerializer } from '../panelSerializers';
import { REGISTRY_VIEW_TYPE } from '../panelViewTypes';
import type { ActivePrompt } from '../panels/registrySession';
import type { CommandHandlers, Feature, Services } from '../services';
import { currentAuthor } from '../../core/registry/author';
import { resolveAccess } from '../../core/registry/permissions';
import { CREDENTIALS_HINT } from '../trackingService';
import { pullPromptCommand, registerFromHistoryCommand, type PullPreset } from './pullPrompt';
import { RegistryTreeProvider, type RegistryNode } from './registryTree';
import { registerInputFromFile } from '../../core/registry/promptFileRegistration';

export const REGISTRY_VIEW_ID = 'promptLedger.registry';
const STANDARD_ALIASES = ['staging', 'production'];

/** The Registry view's feature: its tree is handed to activation for the test API only. */
export interface RegistryFeature extends Feature {
  tree: RegistryTreeProvider;
}

export function registerRegistryFeature(services: Services): RegistryFeature {
  const tree = new RegistryTreeProvider(services);
  const view = vscode.window.createTreeView(REGISTRY_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  const disposables = [tree, view, services.tracking.onDidChange(() => tree.refresh()), registerRegistrySerializer(services)];
  return { tree, disposables, commands: registryCommands(services, tree) };
}

/** The registry panel with this window's settings, author and store; `panel` refills a restored one. */
async function openRegistryPanelFor(services: Services, target: { promptName?: string; activePrompt?: ActivePrompt; panel?: vscode.WebviewPanel }): Promise<vscode.WebviewPanel> {
  const s = await services.tracking.getStore();
  return openRegistryPanel(services.context, s, {
    ...target,
    governanceRequiresEval: readConfig().requireEvalForProduction,
    approvals: readConfig().approvals,
    switchUserHint: CREDENTIALS_HINT,
    author: await currentAuthor(workspaceRoot()),
    onChanged: () => services.tracking.notifyChanged(),
    onOpenRun: (runId) => void vscode.commands.executeCommand('promptLedger.openRunDetails', runId),
    log: (m) => services.output.appendLine(m),
  });
}

/**
 * Registry panels survive "Reload Window" the way compare panels do (registerPanelSerializer): the
 * webview saved only the prompt it showed and the editor file it was opened on; the host reads that
 * file again (if it is still there) and loads the registry fresh from the store.
 */
function registerRegistrySerializer(services: Services): vscode.Disposable {
  return registerPanelSerializer(REGISTRY_VIEW_TYPE, (state) => restoredRegistryPanel(state), async (panel, restored) => {
    const root = workspaceRoot();
    const file = restored.sourcePath && root ? vscode.Uri.file(path.resolve(root, restored.sourcePath)) : undefined;
    const activePrompt = file && fs.existsSync(file.fsPath) ? await activePromptOf(services, file).catch(() => undefined) : undefined;
    await openRegistryPanelFor(services, { promptName: restored.promptName ?? activePrompt?.name, activePrompt, panel });
  });
}

/** Presets that skip the questions (tests, other commands): anything missing is asked for. */
export interface AliasPreset { name?: string; version?: string; alias?: string; note?: string }

/** The active (or given) prompt file as the registry sees it: name, text, hash, git commit, path. */
export async function activePromptOf(services: Services, arg?: unknown): Promise<ActivePrompt | undefined> {
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== 'file') return undefined;
  const info = services.labels.get(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : fs.readFileSync(uri.fsPath, 'utf8');
  // The same rule the CLI uses: the git commit only when the text is that commit's.
  return registerInputFromFile(text, vscode.workspace.asRelativePath(uri, false), { commit: info?.label.commit, edited: info?.label.edited });
}

function registryCommands(services: Services, tree: RegistryTreeProvider): CommandHandlers {
  const store = () => services.tracking.getStore();
  const author = () => currentAuthor(workspaceRoot());
  const accessOf = async (s: TrackingStore) => resolveAccess(s, await author(), CREDENTIALS_HINT);

  return {
    'promptLedger.refreshRegistry': () => tree.refresh(),

    'promptLedger.registerPromptVersion': async (arg?: unknown, commitMessage?: unknown) => {
      const prompt = await activePromptOf(services, arg);
      if (!prompt) throw new Error('Open a prompt file in the editor to register it.');
      const s = await store();
      const message = typeof commitMessage === 'string' ? commitMessage : await vscode.window.showInputBox({
        title: `Register ${prompt.name}`, prompt: 'Commit message for this version (optional)', value: prompt.gitCommit ? `from git ${prompt.gitCommit.slice(0, 7)}` : '',
      });
      if (message === undefined) return undefined;
      const r = await registerPromptVersion(s, { ...prompt, commitMessage: message || undefined }, { access: await accessOf(s) });
      services.tracking.notifyChanged();
      void vscode.window.showInformationMessage(r.reused
        ? `Prompt Ledger: ${prompt.name} with this exact text is already version ${r.version}; nothing new registered.`
        : `Prompt Ledger: registered ${prompt.name} version ${r.version} (${r.form.type}${r.form.modelConfig ? ' with model config' : ''}) in ${s.location}.${r.notCarried.length ? ` Not carried into MLflow's fields: ${r.notCarried.join('; ')}.` : ''}`);
      return { name: prompt.name, ...r };
    },

    'promptLedger.pullPrompt': (arg?: unknown, preset?: PullPreset) => pullPromptCommand(services, arg, preset),
    'promptLedger.registerPromptFromHistory': (arg?: unknown, preset?: { commit?: string; commitMessage?: string }) => registerFromHistoryCommand(services, arg, preset),

    'promptLedger.setAlias': async (arg?: unknown, preset?: AliasPreset) => {
      const s = await store();
      const fromNode = nodeTarget(arg);
      const name = preset?.name ?? fromNode.name ?? await pickPrompt(s);
      if (!name) return undefined;
      const version = preset?.version ?? fromNode.version ?? await pickVersion(s, name);
      if (!version) return undefined;
      const alias = preset?.alias ?? await pickAlias(name, version);
      if (!alias) return undefined;
      const note = preset?.note ?? await askNote(`Why does @${alias} move to ${name} v${version}?`);
      if (note === undefined) return undefined;
      const access = await accessOf(s);
      const r = await moveAlias(s, { name, alias, version, note, author: access.actor, governance: governanceFrom(readConfig().requireEvalForProduction, readConfig().approvals), access });
      return report(r, `@${alias} of ${name} now points to version ${version}.`);
    },

    'promptLedger.rollbackAlias': async (arg?: unknown, preset?: AliasPreset) => {
      const s = await store();
      const fromNode = nodeTarget(arg);
      const name = preset?.name ?? fromNode.name ?? await pickPrompt(s);
      if (!name) return undefined;
      let alias = preset?.alias ?? fromNode.alias;
      if (!alias) {
        const model = await s.getRegisteredModel(name);
        if (!model.aliases.length) throw new Error(`${name} has no aliases to roll back.`);
        alias = (await vscode.window.showQuickPick(model.aliases.map((a) => ({ label: a.alias, description: `→ v${a.version}` })), { title: `Roll back which alias of ${name}?` }))?.label;
        if (!alias) return undefined;
      }
      const note = preset?.note ?? await askNote(`Why does @${alias} of ${name} roll back?`);
      if (note === undefined) return undefined;
      const access = await accessOf(s);
      const r = await rollbackAlias(s, { name, alias, note, author: access.actor, access });
      return report(r, r.ok ? `@${alias} of ${name} rolled back to version ${r.entry.to}.` : '');
    },

    'promptLedger.openRegistryPanel': async (arg?: unknown) => {
      const fromNode = nodeTarget(arg);
      const activePrompt = await activePromptOf(services, fromNode.name ? undefined : arg).catch(() => undefined);
      return openRegistryPanelFor(services, { promptName: fromNode.name ?? activePrompt?.name, activePrompt });
    },
  };

  function report(r: AliasChangeResult, ok: string): AliasChangeResult {
    if (r.ok) {
      services.tracking.notifyChanged();
      void vscode.window.showInformationMessage(`Prompt Ledger: ${ok}`);
    } else {
      void vscode.window.showErrorMessage(`Prompt Ledger: ${r.reason}`);
    }
    return r;
  }
}

function nodeTarget(arg: unknown): { name?: string; version?: string; alias?: string } {
  const n = arg as RegistryNode | undefined;
  if (!n || typeof n !== 'object' || !('kind' in n)) return {};
  if (n.kind === 'prompt' || n.kind === 'model') return { name: n.name };
  if (n.kind === 'version') return { name: n.name, version: n.version };
  if (n.kind === 'alias') return { name: n.name, version: n.version, alias: n.alias };
  return {};
}

async function pickPrompt(s: TrackingStore): Promise<string | undefined> {
  const prompts = await listPrompts(s);
  if (!prompts.length) throw new Error(`No prompts are registered in ${s.location}; run "Register Prompt Version" first.`);
  const pick = await vscode.window.showQuickPick(
    prompts.map((p) => ({ label: p.name, description: p.aliases.map((a) => `@${a.alias}→v${a.version}`).join(' ') })),
    { title: 'Which prompt?' },
  );
  return pick?.label;
}

async function pickVersion(s: TrackingStore, name: string): Promise<string | undefined> {
  const versions = await listPromptVersions(s, name);
  const pick = await vscode.window.showQuickPick(
    versions.map((v) => ({
      label: `v${v.version}`, version: v.version,
      description: [...v.aliases.map((a) => `@${a}`), v.gitCommit?.slice(0, 7)].filter(Boolean).join(' '),
      detail: [v.commitMessage, v.linkedRuns.length ? `${v.linkedRuns.length} linked eval run(s), ${v.linkedRuns.filter((r) => r.passed).length} passed` : 'no linked eval runs'].filter(Boolean).join(' · '),
    })),
    { title: `Which version of ${name}?` },
  );
  return pick?.version;
}

async function pickAlias(name: string, version: string): Promise<string | undefined> {
  const custom = 'Custom alias…';
  const pick = await vscode.window.showQuickPick([...STANDARD_ALIASES, custom].map((label) => ({ label })), { title: `Point which alias at ${name} v${version}?` });
  if (!pick) return undefined;
  if (pick.label !== custom) return pick.label;
  return vscode.window.showInputBox({
    title: 'Alias name', prompt: 'Letters, digits, _ and - (e.g. canary)',
    validateInput: (v) => (/^[A-Za-z_][\w-]*$/.test(v.trim()) ? undefined : 'Use letters, digits, _ and -, starting with a letter or _'),
  }).then((v) => v?.trim());
}

function askNote(prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Note for the audit trail', prompt, ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A note is required: say why (it goes into the audit trail).'),
  });
}
