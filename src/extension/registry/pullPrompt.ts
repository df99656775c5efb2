// "Pull Prompt from Registry…" and "Register Prompt Version from History…": the registry's
// versions become workspace files (new ones, or an existing one updated after a diff), and any
// committed version of a file can be registered with its commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { planPull, registerInputFromFile } from '../../core/registry/promptFileRegistration';
import { listPrompts, registerPromptVersion } from '../../core/registry/promptRegistry';
import { promptVersions, type PromptRef } from '../../core/registry/promptStore';
import { fileAtCommit, fileHistory } from '../../core/versions/history';
import type { TrackingStore } from '../../core/tracking/types';
import { workspaceRoot } from '../config';
import { targetUri } from '../eval/targetUri';
import type { Services } from '../services';
import type { RegistryNode } from './registryTree';

/** Presets that skip the questions (tests, other commands). */
export interface PullPreset { name?: string; version?: string; alias?: string; out?: string; confirmUpdate?: boolean }

export async function pullPromptCommand(services: Services, arg?: unknown, preset: PullPreset = {}): Promise<{ file: string; change: string; version: string } | undefined> {
  const store = await services.tracking.getStore();
  const node = arg as RegistryNode | undefined;
  const fromNode = node && typeof node === 'object' && 'kind' in node && node.kind !== 'message' ? node : undefined;
  const name = preset.name ?? (fromNode && 'name' in fromNode ? fromNode.name : undefined) ?? await pickPrompt(store);
  if (!name) return undefined;
  const ref: PromptRef | undefined = preset.version || preset.alias ? { version: preset.version, alias: preset.alias }
    : fromNode?.kind === 'alias' ? { alias: fromNode.alias }
    : fromNode?.kind === 'version' ? { version: fromNode.version }
    : await pickRef(store, name);
  if (!ref) return undefined;
  const root = workspaceRoot();
  if (!root) throw new Error('Open a folder first: a pulled prompt is written into the workspace.');
  // An open workspace prompt with this name is the file to update; otherwise a new one under prompts/.
  const existing = services.labels.all().find((i) => i.parsed.name === name);
  const plan = await planPull(store, name, ref, { root, out: preset.out ?? (existing ? existing.uri.fsPath : undefined) });
  const rel = vscode.workspace.asRelativePath(plan.target, false);
  const label = `${name} v${plan.version.version}${ref.alias ? ` (@${ref.alias})` : ''}`;
  if (plan.change === 'same') {
    void vscode.window.showInformationMessage(`Prompt Ledger: ${rel} already is ${label}.`);
    return { file: plan.target, change: 'same', version: plan.version.version };
  }
  if (plan.change === 'update') {
    const proposed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pl-pull-')), path.basename(plan.target));
    fs.writeFileSync(proposed, plan.text);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(plan.target), vscode.Uri.file(proposed), `${rel} ↔ ${label} (registry)`);
    const ok = preset.confirmUpdate ?? (await vscode.window.showWarningMessage(`Replace ${rel} with ${label} from the registry?`, { modal: true }, 'Replace')) === 'Replace';
    if (!ok) return undefined;
  }
  fs.mkdirSync(path.dirname(plan.target), { recursive: true });
  fs.writeFileSync(plan.target, plan.text);
  await services.labels.refreshAll();
  await vscode.window.showTextDocument(vscode.Uri.file(plan.target));
  void vscode.window.showInformationMessage(`Prompt Ledger: ${plan.change === 'create' ? 'wrote' : 'updated'} ${rel} from ${label}.`);
  return { file: plan.target, change: plan.change, version: plan.version.version };
}

/** Registers the file as it was at a commit chosen from its history (or `preset.commit`). */
export async function registerFromHistoryCommand(services: Services, arg?: unknown, preset: { commit?: string; commitMessage?: string } = {}): Promise<{ name: string; version: string; reused: boolean } | undefined> {
  const uri = targetUri(arg);
  const info = uri ? services.labels.get(uri) ?? await services.labels.ensure(uri) : undefined;
  if (!info) throw new Error('Open a prompt file to register one of its committed versions.');
  if (!info.repoRoot || !info.repoRelPath) throw new Error(`${info.relPath} is not in a git repository, so it has no history to register from.`);
  const entries = await fileHistory(info.repoRoot, info.repoRelPath);
  const entry = preset.commit ? entries.find((e) => e.commit.startsWith(preset.commit!)) : await vscode.window.showQuickPick(
    entries.map((e) => ({ label: `v${e.version} · ${e.shortCommit}`, description: e.subject, detail: `${e.author} · ${new Date(e.date).toLocaleString()}`, entry: e })),
    { title: `Register which version of ${info.relPath}?` },
  ).then((p) => p?.entry);
  if (!entry) return undefined;
  const text = await fileAtCommit(info.repoRoot, entry.commit, entry.pathAtCommit);
  const input = registerInputFromFile(text, info.relPath, { commit: entry.commit });
  const store = await services.tracking.getStore();
  const r = await registerPromptVersion(store, { ...input, commitMessage: preset.commitMessage ?? `v${entry.version} from git ${entry.shortCommit}: ${entry.subject}` });
  services.tracking.notifyChanged();
  void vscode.window.showInformationMessage(r.reused
    ? `Prompt Ledger: ${input.name} at ${entry.shortCommit} is already version ${r.version}.`
    : `Prompt Ledger: registered ${input.name} version ${r.version} from commit ${entry.shortCommit}.${r.notCarried.length ? ` Not carried into MLflow's fields: ${r.notCarried.join('; ')}.` : ''}`);
  return { name: input.name, version: r.version, reused: r.reused };
}

async function pickPrompt(store: TrackingStore): Promise<string | undefined> {
  const prompts = await listPrompts(store);
  if (!prompts.length) throw new Error(`No prompts are registered in ${store.location} yet.`);
  return (await vscode.window.showQuickPick(prompts.map((p) => ({ label: p.name, description: p.aliases.map((a) => `@${a.alias}→v${a.version}`).join(' ') })), { title: 'Pull which prompt?' }))?.label;
}

async function pickRef(store: TrackingStore, name: string): Promise<PromptRef | undefined> {
  const versions = await promptVersions(store, name);
  const items = [
    ...versions.flatMap((v) => v.aliases.map((alias) => ({ label: `@${alias}`, description: `→ v${v.version}`, ref: { alias } as PromptRef }))),
    ...versions.map((v) => ({ label: `v${v.version}`, description: `${v.form.type}${v.commitMessage ? ` · ${v.commitMessage}` : ''}`, ref: { version: v.version } as PromptRef })),
  ];
  return (await vscode.window.showQuickPick(items, { title: `Pull which version of ${name}?` }))?.ref;
}

