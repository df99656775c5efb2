// The registry panel: VS Code side. The logic lives in RegistrySession (testable without VS Code).
import * as vscode from 'vscode';
import type { TrackingStore } from '../../core/tracking/types';
import { mlflowRunUrl } from './linkPolicy';
import { createLockedPanel, openLinkSafely, relockPanel, serverUrlOf } from './panelWebview';
import { RegistrySession, type ActivePrompt } from './registrySession';
import { REGISTRY_VIEW_TYPE } from '../panelViewTypes';

export { REGISTRY_VIEW_TYPE };

export interface RegistryPanelOptions {
  promptName?: string;
  governanceRequiresEval: boolean;
  author: string;
  activePrompt?: ActivePrompt;
  /** Aliases whose moves need approvals (setting promptLedger.governance.approvals). */
  approvals?: Record<string, number>;
  /** How to sign in as another MLflow user, named in permission refusals. */
  switchUserHint?: string;
  onOpenRun?(runId: string): void;
  /** Called after a registration or alias change so trees and CodeLens can refresh. */
  onChanged?(): void;
  log?(message: string): void;
  /** Fill this panel (one VS Code restored after a reload) instead of opening a new one. */
  panel?: vscode.WebviewPanel;
}

export function openRegistryPanel(context: vscode.ExtensionContext, store: TrackingStore, opts: RegistryPanelOptions): vscode.WebviewPanel {
  const log = opts.log ?? ((m: string) => console.warn(`[prompt-ledger registry] ${m}`));
  const serverUrl = serverUrlOf(store.location, store.kind);
  const title = opts.promptName ? `Registry: ${opts.promptName}` : 'Prompt registry';
  const panel = opts.panel ? relockPanel(opts.panel, context, 'registry', title) : createLockedPanel(context, REGISTRY_VIEW_TYPE, title, 'registry');
  const session = new RegistrySession({
    store,
    post: (msg) => { void panel.webview.postMessage(msg); },
    openRun: (runId) => {
      if (opts.onOpenRun) return opts.onOpenRun(runId);
      if (!serverUrl) { void vscode.window.showInformationMessage(`Run ${runId} is in the embedded store at ${store.location}.`); return; }
      void store.getRun(runId).then((r) => openLinkSafely(mlflowRunUrl(serverUrl, r.info.experimentId, runId), serverUrl, log), (e: Error) => log(e.message));
    },
    openLink: (url) => openLinkSafely(url, serverUrl, log),
    copyToClipboard: async (text) => { await vscode.env.clipboard.writeText(text); },
    showMonitor: (ref) => void vscode.commands.executeCommand('promptLedger.showMonitor', ref),
    log,
    onChanged: opts.onChanged,
  }, { ...opts, serverUrl });
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => { void session.handle(m); });
  panel.onDidDispose(() => sub.dispose(), null, context.subscriptions);
  return panel;
}

/** What a restored registry panel needs from the (small) state its webview saved: the prompt shown and the editor file it was opened on. */
export function restoredRegistryPanel(state: unknown): { promptName?: string; sourcePath?: string } {
  const s = (state && typeof state === 'object' ? state : {}) as { selected?: unknown; activeSourcePath?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 500 ? v : undefined);
  return { promptName: text(s.selected), sourcePath: text(s.activeSourcePath) };
}
