import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import type { RunsNode } from '../../src/extension/runs/runsTree';
import { services, waitFor, wsUri } from './evalHelpers';

type RunNode = Extract<RunsNode, { kind: 'run' }>;

async function runNodes(experimentName: string): Promise<RunsNode[]> {
  const s = await services();
  const roots = await s.runsTree.getChildren();
  const exp = roots.find((n) => n.kind === 'experiment' && n.experiment.name === experimentName);
  return exp ? s.runsTree.getChildren(exp) : [];
}

describe('Runs view', () => {
  let first: SuiteResult;
  let second: SuiteResult;

  before(async () => {
    await services();
    first = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('prompts', 'summarize.prompty'));
    second = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('summarize.eval.yaml'));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('promptLedger.clearRunsFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists the experiment and its runs newest first, with status icon, pass rate and model', async () => {
    const s = await services();
    const roots = await s.runsTree.getChildren();
    const exp = roots.find((n) => n.kind === 'experiment' && n.experiment.name === 'summarize');
    assert.ok(exp, `experiment missing: ${JSON.stringify(roots.map((r) => r.kind))}`);
    const runs = (await s.runsTree.getChildren(exp)).filter((n): n is RunNode => n.kind === 'run');
    const ids = runs.map((r) => r.run.info.runId);
    assert.ok(ids.indexOf(second.runs[0].runId) >= 0 && ids.indexOf(second.runs[0].runId) < ids.indexOf(first.runs[0].runId), 'newest first');
    const item = s.runsTree.getTreeItem(runs[0]);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match(String(item.description), /^\d+(\.\d)?% pass · echo/);
    const tip = item.tooltip as vscode.MarkdownString;
    assert.equal(tip.isTrusted, false);
    assert.match(tip.value, /pass\\_rate/);
    assert.match(tip.value, /prompt\\_hash/);
    assert.equal(item.contextValue, 'run');
    assert.equal(s.runsTree.state, 'ok');
  });

  it('filters by MLflow filter text and by prompt, and shows the filter', async () => {
    const s = await services();
    await vscode.commands.executeCommand('promptLedger.filterRuns', 'metrics.pass_rate < 0');
    assert.deepEqual(await s.runsTree.getChildren(), []);
    assert.equal(s.runsTree.state, 'empty');
    assert.match(s.runsTree.view?.description ?? '', /filter: metrics.pass_rate < 0/);
    await vscode.commands.executeCommand('promptLedger.clearRunsFilter');
    await vscode.commands.executeCommand('promptLedger.filterRunsByPrompt', wsUri('prompts', 'classify.prompty'), 'path');
    const roots = await s.runsTree.getChildren();
    assert.ok(roots.every((n) => n.kind === 'experiment' && n.experiment.name !== 'summarize'), 'summarize runs should be filtered out');
    await vscode.commands.executeCommand('promptLedger.filterRunsByPrompt', wsUri('prompts', 'summarize.prompty'), 'hash');
    const runs = await runNodes('summarize');
    assert.ok(runs.length >= 2);
  });

  it('pages runs with "Load more…"', async () => {
    const s = await services();
    const store = await s.tracking.getStore();
    const exp = await store.ensureExperiment('paging-check');
    for (let i = 0; i < 7; i++) {
      const r = await store.createRun({ experimentId: exp, runName: `r${i}`, startTime: 1_700_000_000_000 + i * 1000 });
      await store.updateRun(r.info.runId, { status: 'FINISHED', endTime: 1_700_000_000_500 + i * 1000 });
    }
    await vscode.workspace.getConfiguration('promptLedger').update('runs.pageSize', 5, vscode.ConfigurationTarget.Workspace);
    try {
      s.runsTree.refresh();
      const expNode = (await s.runsTree.getChildren()).find((n) => n.kind === 'experiment' && n.experiment.experimentId === exp)!;
      const page1 = await s.runsTree.getChildren(expNode);
      assert.equal(page1.filter((n) => n.kind === 'run').length, 5);
      const more = page1[page1.length - 1];
      assert.equal(more.kind, 'more');
      const moreItem = s.runsTree.getTreeItem(more);
      assert.equal(moreItem.label, 'Load more…');
      await vscode.commands.executeCommand(moreItem.command!.command, ...(moreItem.command!.arguments ?? []));
      const all = await s.runsTree.getChildren(expNode);
      assert.deepEqual(all.map((n) => (n.kind === 'run' ? n.run.info.runName : n.kind)), ['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
    } finally {
      await vscode.workspace.getConfiguration('promptLedger').update('runs.pageSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('compares two selected runs in the compare panel, which receives both runs and their cases', async () => {
    const runs = (await runNodes('summarize')).filter((n): n is RunNode => n.kind === 'run');
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('promptLedger.compareRuns', runs[0], [runs[0], runs[1]]);
    // What the host sends the webview once it says "ready" (the session posts through this method).
    const posted: { type?: string; model?: { runs: { runId: string }[] }; totalCases?: number }[] = [];
    const send = panel.webview.postMessage.bind(panel.webview);
    panel.webview.postMessage = (m: unknown) => { posted.push(m as (typeof posted)[number]); return send(m); };
    try {
      assert.equal(panel.viewType, 'promptLedger.compare');
      assert.equal(panel.title, 'Compare 2 runs');
      const init = await waitFor(() => posted.find((m) => m.type === 'init' || m.type === 'error'), 'the comparison sent to the panel');
      assert.equal(init.type, 'init', JSON.stringify(init).slice(0, 500));
      assert.deepEqual(new Set(init.model!.runs.map((r) => r.runId)), new Set([runs[0].run.info.runId, runs[1].run.info.runId]));
      assert.equal(init.totalCases, Number(runs[0].run.data.metrics.find((m) => m.key === 'cases_total')?.value ?? init.totalCases));
      assert.ok(init.totalCases! > 0, 'no cases in the comparison');
    } finally {
      panel.dispose();
    }
  });

  it('opens the comparison with the previous run of the same suite and model', async () => {
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('promptLedger.compareWithPreviousRun', second.runs[0].runId);
    assert.ok(panel, 'no panel: the previous run was not found');
    assert.equal(panel.viewType, 'promptLedger.compare');
    panel.dispose();
    assert.equal(second.runs[0].previousRunId, first.runs[0].runId);
  });

  it('opens read-only run details, sets the baseline and copies the run id', async () => {
    const s = await services();
    const id = first.runs[0].runId;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('promptLedger.openRunDetails', id);
    assert.equal(editor.document.uri.scheme, 'promptledger-run');
    assert.match(editor.document.getText(), /\| pass_rate \| \d/);
    assert.match(editor.document.getText(), /- eval_results_table\.json/);
    await vscode.commands.executeCommand('promptLedger.setBaselineRun', id);
    assert.equal(s.baseline.runId, id);
    const node = (await runNodes('summarize')).find((n) => n.kind === 'run' && n.run.info.runId === id)!;
    assert.match(String(s.runsTree.getTreeItem(node).description), /baseline/);
    await vscode.commands.executeCommand('promptLedger.setBaselineRun', id);
    assert.equal(s.baseline.runId, undefined);
    await vscode.commands.executeCommand('promptLedger.copyRunId', id);
    assert.equal(await vscode.env.clipboard.readText(), id);
  });

  it('lists every experiment with one runs search, not one per experiment', async () => {
    const s = await services();
    const store = await s.tracking.getStore();
    await store.ensureExperiment('search-count-a');
    const other = await store.ensureExperiment('search-count-b');
    const r = await store.createRun({ experimentId: other, runName: 'counted', startTime: Date.now() });
    await store.updateRun(r.info.runId, { status: 'FINISHED', endTime: Date.now() });
    const search = store.searchRuns.bind(store);
    const asked: string[][] = [];
    store.searchRuns = (req) => { asked.push(req.experimentIds); return search(req); };
    try {
      s.runsTree.refresh();
      const roots = await s.runsTree.getChildren();
      assert.ok(roots.length >= 2, 'several experiments are listed');
      assert.equal(asked.length, 1, `searches: ${JSON.stringify(asked)}`);
      assert.ok(asked[0].length >= roots.length);
    } finally {
      store.searchRuns = search;
    }
  });

  it('refreshes by itself when an eval records a run', async () => {
    const s = await services();
    await new Promise((r) => setTimeout(r, 500)); // let refreshes from earlier tests settle
    let fired = 0;
    const sub = s.runsTree.onDidChangeTreeData(() => { fired++; });
    try {
      // Nothing here refreshes the view or calls notifyChanged(): the eval command's own events must.
      const result = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('summarize.eval.yaml'));
      await waitFor(() => fired > 0, 'the Runs view to refresh');
      const listed = (await runNodes('summarize')).map((n) => (n.kind === 'run' ? n.run.info.runId : ''));
      assert.ok(listed.includes(result.runs[0].runId), 'the new run is not listed');
    } finally {
      sub.dispose();
    }
  });

  it('refreshes once for a burst of recorded runs, not once per run', async () => {
    const s = await services();
    await new Promise((r) => setTimeout(r, 500));
    let fired = 0;
    const sub = s.runsTree.onDidChangeTreeData(() => { fired++; });
    try {
      for (let i = 0; i < 5; i++) s.tracking.notifyChanged(); // as a sweep reports five trials at once
      await waitFor(() => fired > 0, 'the Runs view to refresh');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(fired, 1);
    } finally {
      sub.dispose();
    }
  });

  it('shows a run that is still RUNNING with a spinner after Refresh Runs', async () => {
    const s = await services();
    const store = await s.tracking.getStore();
    const exp = await store.ensureExperiment('live-check');
    const r = await store.createRun({ experimentId: exp, runName: 'in-flight', startTime: Date.now() });
    try {
      await vscode.commands.executeCommand('promptLedger.refreshRuns');
      const node = await waitFor(async () => (await runNodes('live-check')).find((n) => n.kind === 'run'), 'running run');
      assert.equal((s.runsTree.getTreeItem(node).iconPath as vscode.ThemeIcon).id, 'sync~spin');
    } finally {
      await store.updateRun(r.info.runId, { status: 'KILLED', endTime: Date.now() });
    }
  });
});
