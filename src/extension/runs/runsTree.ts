// The Runs view: experiments → runs, newest first, a page at a time ("Load more…" follows the
// store's page token). Filters: MLflow filter text typed by the user, and "runs of this prompt".
// Empty, unreachable and misconfigured states go into the view message and a context key that
// selects the matching viewsWelcome content.
import * as vscode from 'vscode';
import type { Experiment, Run, TrackingStore } from '../../core/tracking/types';
import { TrackingError } from '../../core/tracking/types';
import { readConfig } from '../config';
import type { Services } from '../services';
import { caseJournalPath } from '../../core/eval/caseJournal';
import { runProgressView, type RunProgressView } from '../../core/eval/runLiveness';
import { workspaceRoot } from '../config';
import { runDescription, runTooltip, statusIcon, tagOf } from './runPresentation';
import { isSweepParent } from '../../core/eval/sweep/loadSweep';
import { allItems } from '../../core/tracking/pages';

export type RunsNode =
  | { kind: 'experiment'; experiment: Experiment }
  | { kind: 'run'; run: Run; storeKind: 'mlflow' | 'embedded'; progress?: RunProgressView }
  | { kind: 'more'; experimentId: string };

/** Drives the viewsWelcome content (package.json) for the Runs view. */
export type RunsState = 'loading' | 'ok' | 'empty' | 'unreachable' | 'invalidUri' | 'error';
export const RUNS_STATE_KEY = 'promptLedger.runsState';

/**
 * `next` is the store's page token; `fromBatch` marks a first page cut from the refresh's one search
 * across experiments, which has no token of its own (loadMore then asks for what follows it).
 */
interface RunPage { runs: Run[]; next?: string; fromBatch?: boolean }

const REFRESH_DEBOUNCE_MS = 200;
/** MLflow's limit for one runs search (SEARCH_MAX_RESULTS_THRESHOLD). */
const MAX_SEARCH_RESULTS = 50_000;
const NEWEST_FIRST = ['attributes.start_time DESC'];

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly pages = new Map<string, RunPage>();
  private readonly expNodes = new Map<string, RunsNode & { kind: 'experiment' }>();
  private filterText: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private promptFilter: { label: string; filter: string } | undefined;
  state: RunsState = 'loading';
  /** Set by the feature once the TreeView exists, to show messages and the filter. */
  view?: vscode.TreeView<RunsNode>;

  constructor(private readonly services: Services) {}

  get filter(): string | undefined {
    const parts = [this.filterText, this.promptFilter?.filter].filter((s): s is string => !!s);
    return parts.length ? parts.join(' AND ') : undefined;
  }

  setFilterText(text: string | undefined): void {
    this.filterText = text?.trim() || undefined;
    this.refresh();
  }

  setPromptFilter(f: { label: string; filter: string } | undefined): void {
    this.promptFilter = f;
    this.refresh();
  }

  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.pages.clear();
    this.expNodes.clear();
    this.changed.fire(undefined);
  }

  /** Refreshes once after a burst of changes: calls within REFRESH_DEBOUNCE_MS of each other coalesce. */
  scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'experiment': {
        const item = new vscode.TreeItem(node.experiment.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `experiment:${node.experiment.experimentId}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'experiment';
        item.description = `#${node.experiment.experimentId}`;
        return item;
      }
      case 'run': {
        const { run } = node;
        const item = new vscode.TreeItem(run.info.runName || run.info.runId, vscode.TreeItemCollapsibleState.None);
        item.id = `run:${run.info.runId}`;
        item.iconPath = statusIcon(run.info.status, tagOf(run, 'promptledger.passed'), node.progress?.state);
        item.description = runDescription(run, this.services.baseline.runId, node.progress);
        item.tooltip = runTooltip(run, node.progress);
        item.contextValue = runContextValue(node);
        item.accessibilityInformation = { label: `${run.info.runName}, ${node.progress?.state ?? run.info.status.toLowerCase()}, ${item.description}` };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.experimentId}:${this.pages.get(node.experimentId)?.runs.length ?? 0}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'promptLedger.loadMoreRuns', title: 'Load more runs', arguments: [node.experimentId] };
        return item;
      }
    }
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) return this.roots();
    if (node.kind !== 'experiment') return [];
    const store = await this.services.tracking.getStore();
    const id = node.experiment.experimentId;
    let page = this.pages.get(id);
    if (!page) {
      try {
        page = await this.fetchPage(store, id);
      } catch (e) {
        this.showError(e);
        return [];
      }
      this.pages.set(id, page);
    }
    const root = workspaceRoot();
    const runs: RunsNode[] = page.runs.map((run) => ({
      kind: 'run', run, storeKind: store.kind,
      // Eval runs only: how far they got, and whether their process died (interrupted).
      progress: tagOf(run, 'promptledger.casesTotal') !== undefined
        ? runProgressView(run, root || store.kind === 'embedded' ? caseJournalPath(store, root ?? '', run.info.runId) : undefined)
        : undefined,
    }));
    return page.next ? [...runs, { kind: 'more', experimentId: id }] : runs;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'run') return this.expNodes.get(node.run.info.experimentId);
    if (node.kind === 'more') return this.expNodes.get(node.experimentId);
    return undefined;
  }

  /** Appends the next page of an experiment's runs. */
  async loadMore(experimentId: string): Promise<void> {
    const page = this.pages.get(experimentId);
    if (!page?.next) return;
    const store = await this.services.tracking.getStore();
    const size = readConfig().runsPageSize;
    // A page cut from the batch search has no token: ask this experiment for what follows it.
    const next = page.fromBatch
      ? await this.fetchPage(store, experimentId, undefined, page.runs.length + size).then((p) => ({ ...p, runs: p.runs.slice(page.runs.length) }))
      : await this.fetchPage(store, experimentId, page.next);
    this.pages.set(experimentId, { runs: [...page.runs, ...next.runs], next: next.next });
    this.changed.fire(this.expNodes.get(experimentId));
  }

  private async fetchPage(store: TrackingStore, experimentId: string, pageToken?: string, maxResults = readConfig().runsPageSize): Promise<RunPage> {
    const res = await store.searchRuns({ experimentIds: [experimentId], filter: this.filter, maxResults, orderBy: NEWEST_FIRST, pageToken });
    return { runs: res.items, next: res.nextPageToken };
  }

  /**
   * Every experiment's first page from one search across all of them (MLflow searches several
   * experiment ids at once), newest first. Only when that search was cut short are experiments
   * missing from it asked on their own, so none with older runs is hidden.
   */
  private async firstPages(store: TrackingStore, experiments: Experiment[]): Promise<Map<string, RunPage>> {
    const size = readConfig().runsPageSize;
    const ids = experiments.map((e) => e.experimentId);
    const pages = new Map<string, RunPage>();
    if (ids.length === 0) return pages;
    const batch = await store.searchRuns({ experimentIds: ids, filter: this.filter, maxResults: Math.min(size * ids.length, MAX_SEARCH_RESULTS), orderBy: NEWEST_FIRST });
    const truncated = !!batch.nextPageToken;
    const byExperiment = new Map<string, Run[]>();
    for (const run of batch.items) {
      const list = byExperiment.get(run.info.experimentId) ?? [];
      list.push(run);
      byExperiment.set(run.info.experimentId, list);
    }
    for (const id of ids) {
      const runs = byExperiment.get(id);
      if (runs) pages.set(id, { runs: runs.slice(0, size), next: runs.length > size || truncated ? 'after-batch' : undefined, fromBatch: true });
      else if (truncated) pages.set(id, await this.fetchPage(store, id));
    }
    return pages;
  }

  private async roots(): Promise<RunsNode[]> {
    this.setState('loading');
    try {
      this.services.tracking.resolve();
    } catch (e) {
      this.setState('invalidUri', `Invalid tracking URI: ${(e as Error).message}`);
      return [];
    }
    try {
      const store = await this.services.tracking.getStore();
      const experiments = (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).filter((e) => e.lifecycleStage === 'active');
      const pages = await this.firstPages(store, experiments);
      // Only experiments with (matching) runs: MLflow's empty "Default" experiment is noise here.
      const withRuns: Experiment[] = [];
      for (const e of experiments) {
        const page = pages.get(e.experimentId);
        if (!page?.runs.length) continue;
        this.pages.set(e.experimentId, page);
        withRuns.push(e);
      }
      withRuns.sort((a, b) => latestStart(this.pages.get(b.experimentId)) - latestStart(this.pages.get(a.experimentId)));
      const nodes = withRuns.map((experiment) => {
        const n = { kind: 'experiment' as const, experiment };
        this.expNodes.set(experiment.experimentId, n);
        return n;
      });
      if (nodes.length === 0) {
        this.setState('empty', this.filter ? `No runs match the filter ${this.filter}.` : undefined);
      } else {
        this.setState('ok');
      }
      return nodes;
    } catch (e) {
      this.showError(e);
      return [];
    }
  }

  private showError(e: unknown): void {
    const where = this.services.tracking.describe();
    const message = (e as Error)?.message ?? String(e);
    this.services.output.appendLine(`Runs view: ${message}`);
    if (e instanceof TrackingError && e.code === 'UNAVAILABLE') this.setState('unreachable', `Cannot reach the MLflow server at ${where}: ${message}`);
    else if (e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE' && this.filter) this.setState('error', `The filter is not valid: ${message}`);
    else this.setState('error', `Cannot list runs from ${where}: ${message}`);
  }

  private setState(state: RunsState, message?: string): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', RUNS_STATE_KEY, state);
    if (!this.view) return;
    const filter = this.filter;
    this.view.description = filter ? `filter: ${filter}` : undefined;
    this.view.message = message ?? (filter && state === 'ok' ? `Filtered: ${filter}` : undefined);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}

/**
 * `run` or `run.mlflow` (the MLflow UI link), then `.resumable` (cancelled or interrupted: Resume
 * Run) and `.errors` (recorded errors: Retry Errors), matched by the menus in package.json.
 */
export function runContextValue(node: RunsNode & { kind: 'run' }): string {
  let v = node.storeKind === 'mlflow' ? 'run.mlflow' : 'run';
  const state = node.progress?.state;
  if (state === 'interrupted' || state === 'killed') v += '.resumable';
  const errors = node.run.data.metrics.find((m) => m.key === 'error_count')?.value;
  if (node.progress && state !== 'running' && errors !== undefined && errors > 0) v += '.errors';
  if (isSweepParent(node.run)) v += '.sweep';
  return v;
}

function latestStart(page: RunPage | undefined): number {
  return page?.runs[0]?.info.startTime ?? 0;
}
