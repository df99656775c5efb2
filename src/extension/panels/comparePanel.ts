// The compare panel: VS Code side. The logic lives in CompareSession (testable without VS Code).
import * as vscode from 'vscode';
import { loadComparison } from '../../core/compare/loadComparison';
import { findCaseTrace } from '../../core/compare/caseTraceLookup';
import type { TrackingStore } from '../../core/tracking/types';
import { CompareSession } from './compareSession';
import { mlflowRunUrl, mlflowTraceUrl } from './linkPolicy';
import { createLockedPanel, openLinkSafely, relockPanel, serverUrlOf } from './panelWebview';
import { COMPARE_VIEW_TYPE } from '../panelViewTypes';

export { COMPARE_VIEW_TYPE };

export interface ComparePanelOptions {
  baselineRunId?: string;
  /** What "Open" on a run does; default: the run in the MLflow UI (server) or a notice (embedded). */
  onOpenRun?(runId: string): void;
  log?(message: string): void;
  /** Fill this panel (one VS Code restored after a reload) instead of opening a new one. */
  panel?: vscode.WebviewPanel;
}

/** Open compare panels and their runs: title-bar actions (Reproduce Run) act on the active one's. */
const panelRuns = new Map<vscode.WebviewPanel, string[]>();

export function activeCompareRuns(): string[] | undefined {
  for (const [panel, ids] of panelRuns) if (panel.active) return ids;
  return undefined;
}

export function openComparePanel(context: vscode.ExtensionContext, store: TrackingStore, runIds: string[], opts: ComparePanelOptions = {}): vscode.WebviewPanel {
  if (runIds.length === 0) throw new Error('Compare runs: select at least one run');
  const log = opts.log ?? ((m: string) => console.warn(`[prompt-ledger compare] ${m}`));
  const serverUrl = serverUrlOf(store.location, store.kind);
  const title = `Compare ${runIds.length} run${runIds.length === 1 ? '' : 's'}`;
  const panel = opts.panel ? relockPanel(opts.panel, context, 'compare', title) : createLockedPanel(context, COMPARE_VIEW_TYPE, title, 'compare');
  const experimentOf = new Map<string, string>();
  const session = new CompareSession({
    load: async (baseline) => {
      const { model, warnings } = await loadComparison(store, runIds, baseline);
      for (const r of model.runs) experimentOf.set(r.runId, r.experimentId);
      for (const w of warnings) log(w);
      if (warnings.length) void vscode.window.showWarningMessage(`Prompt Ledger: ${warnings[0]}${warnings.length > 1 ? ` (+${warnings.length - 1} more)` : ''}`);
      return model;
    },
    post: (msg) => { void panel.webview.postMessage(msg); },
    openRun: (runId) => {
      if (opts.onOpenRun) return opts.onOpenRun(runId);
      if (serverUrl) openLinkSafely(mlflowRunUrl(serverUrl, experimentOf.get(runId) ?? '0', runId), serverUrl, log);
      else void vscode.window.showInformationMessage(`Run ${runId} is in the embedded store at ${store.location}.`);
    },
    openLink: (url) => openLinkSafely(url, serverUrl, log),
    loadTrace: (ref) => findCaseTrace(store, ref),
    traceUrl: serverUrl ? (experimentId, traceId) => mlflowTraceUrl(serverUrl, experimentId, traceId) : undefined,
    log,
  }, opts.baselineRunId);
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => { void session.handle(m); });
  panelRuns.set(panel, runIds);
  panel.onDidDispose(() => { sub.dispose(); panelRuns.delete(panel); }, null, context.subscriptions);
  return panel;
}

/** What a restored compare panel needs from the state its webview saved: the runs and the baseline. */
export function restoredCompareRuns(state: unknown): { runIds: string[]; baselineRunId?: string } | undefined {
  const model = (state as { model?: { runs?: { runId?: unknown }[]; baselineIndex?: unknown } } | undefined)?.model;
  const runIds = (Array.isArray(model?.runs) ? model.runs : []).map((r) => r?.runId).filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200);
  if (runIds.length === 0) return undefined;
  const b = typeof model?.baselineIndex === 'number' ? runIds[model.baselineIndex] : undefined;
  return { runIds, baselineRunId: b };
}
