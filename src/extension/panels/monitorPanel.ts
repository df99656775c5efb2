// The Monitor panel: VS Code side. The logic lives in MonitorSession (testable without VS Code).
import * as vscode from 'vscode';
import type { TrackingStore } from '../../core/tracking/types';
import { monitorHttp } from '../../core/monitor/promptMonitor';
import { MonitorSession } from './monitorSession';
import { createLockedPanel } from './panelWebview';

export const MONITOR_VIEW_TYPE = 'promptLedger.monitor';

export function openMonitorPanel(context: vscode.ExtensionContext, store: TrackingStore, ref: string, log: (m: string) => void): vscode.WebviewPanel {
  // Refuse before opening an empty panel: the embedded store has no production traces.
  monitorHttp(store);
  const panel = createLockedPanel(context, MONITOR_VIEW_TYPE, `Monitor: ${ref}`, 'monitor');
  const session = new MonitorSession(ref, { store, post: (msg) => { void panel.webview.postMessage(msg); }, log });
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => { void session.handle(m); });
  panel.onDidDispose(() => sub.dispose(), null, context.subscriptions);
  return panel;
}
