// The Runs view and its commands: filter, compare (2–10 selected runs), previous-run comparison,
// baseline, details, MLflow UI link, delete, Resume Run and Retry Errors (runEval.ts does the run).
import * as vscode from 'vscode';
import { compareWithPrevious } from '../../core/eval/runLinks';
import { parseFilter, quoteFilterValue } from '../../core/tracking/filter';
import { normalizedContentHash } from '../../core/prompts/contentHash';
import { openComparePanel } from '../panels/comparePanel';
import { mlflowRunUrl } from '../panels/linkPolicy';
import { openLinkSafely } from '../panels/panelWebview';
import type { CommandHandlers, Feature, Services } from '../services';
import { targetUri } from '../eval/targetUri';
import { resumeRunCommand } from '../eval/runEval';
import { reproduceRunCommand } from '../eval/reproduceCommands';
import { activeCompareRuns } from '../panels/comparePanel';
import { RUN_DETAILS_SCHEME, RunDetailsProvider, runDetailsUri } from './runDetails';
import { RunsTreeProvider, type RunsNode } from './runsTree';

export const RUNS_VIEW_ID = 'promptLedger.runs';
export const MAX_COMPARE = 10;

/** The Runs view's feature: its tree and view are handed to activation for the test API only. */
export interface RunsFeature extends Feature {
  tree: RunsTreeProvider;
  view: vscode.TreeView<RunsNode>;
}

export function registerRunsFeature(services: Services): RunsFeature {
  const tree = new RunsTreeProvider(services);
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  tree.view = view;
  const details = new RunDetailsProvider(() => services.tracking.getStore());
  return {
    tree,
    view,
    commands: runsCommands(services, tree, view),
    disposables: [
      tree,
      view,
      // Runs are recorded in bursts (a multi-model eval, a sweep's trials): one refresh per burst.
      services.tracking.onDidChange(() => tree.scheduleRefresh()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('promptLedger.runs.pageSize')) tree.refresh(); }),
      vscode.workspace.registerTextDocumentContentProvider(RUN_DETAILS_SCHEME, details),
    ],
  };
}

/** Run ids of the run nodes selected in the view, in selection order. */
export function selectedRunIds(view: vscode.TreeView<RunsNode>): string[] {
  return view.selection.map(runIdOf).filter((id): id is string => !!id);
}

/** A run id from whatever a command got: a tree node, a run id string, or {runId}. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const a = arg as { kind?: string; run?: { info: { runId: string } }; runId?: string } | undefined;
  if (a?.kind === 'run' && a.run) return a.run.info.runId;
  if (typeof a?.runId === 'string') return a.runId;
  return undefined;
}

function runsCommands(services: Services, tree: RunsTreeProvider, view: vscode.TreeView<RunsNode>): CommandHandlers {
  const store = () => services.tracking.getStore();
  const log = (m: string) => services.output.appendLine(m);
  const selectedRun = (arg: unknown): string => {
    const id = runIdOf(arg) ?? selectedRunIds(view)[0];
    if (!id) throw new Error('Select a run in the Runs view first.');
    return id;
  };

  return {
    'promptLedger.refreshRuns': () => tree.refresh(),
    'promptLedger.loadMoreRuns': (experimentId: unknown) => typeof experimentId === 'string' ? tree.loadMore(experimentId) : undefined,

    'promptLedger.filterRuns': async (text?: unknown) => {
      let filter = typeof text === 'string' ? text : await vscode.window.showInputBox({
        title: 'Filter runs (MLflow search syntax)',
        prompt: "e.g. metrics.pass_rate < 0.9 AND params.model = 'openai:gpt-4o-mini' AND attributes.status = 'FINISHED'",
        value: tree.filter ?? '',
        validateInput: (v) => { try { parseFilter(v); return undefined; } catch (e) { return (e as Error).message; } },
      });
      if (filter === undefined) return;
      filter = filter.trim();
      parseFilter(filter);
      tree.setFilterText(filter);
    },
    'promptLedger.clearRunsFilter': () => { tree.setFilterText(undefined); tree.setPromptFilter(undefined); },

    'promptLedger.filterRunsByPrompt': async (arg?: unknown, mode?: unknown) => {
      const uri = targetUri(arg);
      if (!uri || uri.scheme !== 'file') throw new Error('Open a prompt file to show its runs.');
      const rel = vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
      const hash = services.labels.get(uri)?.contentHash ?? normalizedContentHash((await vscode.workspace.openTextDocument(uri)).getText());
      const choices = {
        path: { label: `All versions of ${rel}`, filter: `tags."promptledger.promptPath" = ${quoteFilterValue(rel)}`, short: rel },
        hash: { label: `This exact text (content hash ${hash.slice(0, 10)})`, filter: `tags."promptledger.promptHash" = ${quoteFilterValue(hash)}`, short: `${rel} @ ${hash.slice(0, 7)}` },
      };
      const chosen = mode === 'path' || mode === 'hash' ? choices[mode]
        : await vscode.window.showQuickPick([choices.path, choices.hash], { title: 'Show runs of this prompt' });
      if (!chosen) return;
      tree.setPromptFilter({ label: chosen.short, filter: chosen.filter });
      await vscode.commands.executeCommand(`${RUNS_VIEW_ID}.focus`);
    },

    'promptLedger.compareRuns': async (clicked?: unknown, selected?: unknown) => {
      const fromArgs = Array.isArray(selected) ? selected : Array.isArray(clicked) ? clicked : clicked ? [clicked] : [];
      const source = fromArgs.length > 1 ? fromArgs : view.selection;
      const ids = [...new Set(source.map(runIdOf).filter((x): x is string => !!x))];
      if (ids.length < 2) throw new Error('Select 2 to 10 runs in the Runs view (Ctrl/Cmd+click), then Compare Runs.');
      if (ids.length > MAX_COMPARE) throw new Error(`Compare at most ${MAX_COMPARE} runs at once (${ids.length} selected).`);
      const s = await store();
      return openComparePanel(services.context, s, ids, { baselineRunId: services.baseline.runId && ids.includes(services.baseline.runId) ? services.baseline.runId : undefined, log, onOpenRun: (id) => void openDetails(id) });
    },

    'promptLedger.compareWithPreviousRun': async (arg?: unknown) => {
      const id = selectedRun(arg);
      const s = await store();
      const { current, previous } = await compareWithPrevious(s, id);
      if (!previous) {
        void vscode.window.showInformationMessage(`Prompt Ledger: ${current.info.runName} is the first run of its suite and model; nothing to compare with yet.`);
        return undefined;
      }
      return openComparePanel(services.context, s, [previous.info.runId, current.info.runId], { baselineRunId: previous.info.runId, log, onOpenRun: (rid) => void openDetails(rid) });
    },

    'promptLedger.openRunDetails': (arg?: unknown) => openDetails(selectedRun(arg)),

    'promptLedger.resumeRun': (arg?: unknown) => resumeRunCommand(services, selectedRun(arg), 'resume'),
    'promptLedger.retryRunErrors': (arg?: unknown) => resumeRunCommand(services, selectedRun(arg), 'retry-errors'),
    // From a run node, a run id, or the compare panel's title bar (one of the runs it shows).
    'promptLedger.reproduceRun': async (arg?: unknown) => {
      const inPanel = runIdOf(arg) ? undefined : activeCompareRuns();
      const id = inPanel ? await pickRun(inPanel, 'Reproduce which run?') : selectedRun(arg);
      return id ? reproduceRunCommand(services, id) : undefined;
    },

    'promptLedger.setBaselineRun': (arg?: unknown) => {
      const id = selectedRun(arg);
      services.baseline.runId = services.baseline.runId === id ? undefined : id;
      tree.refresh();
      void vscode.window.setStatusBarMessage(services.baseline.runId ? `Prompt Ledger: baseline run ${id}` : 'Prompt Ledger: baseline cleared', 4000);
    },

    'promptLedger.copyRunId': async (arg?: unknown) => {
      const id = selectedRun(arg);
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(`Copied run id ${id}`, 3000);
    },

    'promptLedger.openRunInMlflow': async (arg?: unknown) => {
      const id = selectedRun(arg);
      const s = await store();
      const serverUrl = services.tracking.serverUrl();
      if (s.kind !== 'mlflow' || !serverUrl) throw new Error('Runs are in the workspace store; the MLflow UI needs an MLflow server (set promptLedger.trackingUri, or run "Sync Workspace Runs to MLflow Server").');
      const run = await s.getRun(id);
      openLinkSafely(mlflowRunUrl(serverUrl, run.info.experimentId, id), serverUrl, log);
    },

    'promptLedger.deleteRun': async (arg?: unknown, selected?: unknown) => {
      const many = Array.isArray(selected) && selected.length > 1 ? selected.map(runIdOf).filter((x): x is string => !!x) : [selectedRun(arg)];
      const ok = await vscode.window.showWarningMessage(
        many.length === 1 ? `Delete run ${many[0]}?` : `Delete ${many.length} runs?`,
        { modal: true, detail: 'Deleted runs are hidden from views and searches (MLflow keeps them restorable).' },
        'Delete',
      );
      if (ok !== 'Delete') return;
      const s = await store();
      for (const id of many) await s.deleteRun(id);
      if (services.baseline.runId && many.includes(services.baseline.runId)) services.baseline.runId = undefined;
      services.tracking.notifyChanged();
    },
  };

  async function pickRun(ids: string[], title: string): Promise<string | undefined> {
    if (ids.length === 1) return ids[0];
    const s = await store();
    const runs = await Promise.all(ids.map((id) => s.getRun(id)));
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.info.runName || r.info.runId, description: r.info.runId, id: r.info.runId })), { title });
    return pick?.id;
  }

  async function openDetails(runId: string): Promise<vscode.TextEditor> {
    const s = await store();
    const run = await s.getRun(runId);
    const doc = await vscode.workspace.openTextDocument(runDetailsUri({ runId, runName: run.info.runName }));
    return vscode.window.showTextDocument(doc, { preview: true });
  }
}
