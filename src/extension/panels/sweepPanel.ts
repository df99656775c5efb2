// The sweep panel: VS Code side. The logic lives in SweepSession (testable without VS Code).
import * as vscode from 'vscode';
import { loadSweepReport } from '../../core/eval/sweep/loadSweep';
import type { TrackingStore } from '../../core/tracking/types';
import { SweepSession } from './sweepSession';
import { createLockedPanel } from './panelWebview';

export const SWEEP_VIEW_TYPE = 'promptLedger.sweep';

export interface SweepPanelOptions {
  /** The sweep is still running: the caller pushes reports as trials finish. */
  running?: boolean;
  title?: string;
  openRun(runId: string): void;
  compareRuns(runIds: string[]): void;
  log(message: string): void;
}

export interface OpenedSweepPanel {
  panel: vscode.WebviewPanel;
  session: SweepSession;
}

export function openSweepPanel(context: vscode.ExtensionContext, store: TrackingStore, parentRunId: string, opts: SweepPanelOptions): OpenedSweepPanel {
  const panel = createLockedPanel(context, SWEEP_VIEW_TYPE, opts.title ?? 'Sweep', 'sweep');
  const session = new SweepSession(parentRunId, {
    load: async () => (await loadSweepReport(store, parentRunId)).report,
    post: (msg) => { void panel.webview.postMessage(msg); },
    openRun: opts.openRun,
    compareRuns: opts.compareRuns,
    copy: (text) => {
      void vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage('Prompt Ledger: the best configuration is on the clipboard; paste it over the suite\'s `models:`.');
    },
    log: opts.log,
  }, { running: opts.running });
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => { void session.handle(m); });
  panel.onDidDispose(() => sub.dispose(), null, context.subscriptions);
  return { panel, session };
}
