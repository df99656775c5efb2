// Evals in the Test Explorer: the controller (suites → cases, testTree.ts), a Run profile
// (testRun.ts) and its continuous mode, i.e. watch mode: while it is on, saving a suite, its
// prompt or its dataset re-runs that suite's selected cases in the background (status bar), and
// only the cases whose rendered request changed reach the model (core/eval/watchLoop.ts).
import path from 'node:path';
import * as vscode from 'vscode';
import { loadSuite } from '../../core/eval/suiteLoader';
import { WatchLoop } from '../../core/eval/watchLoop';
import type { Services } from '../services';
import { evalRefusal } from '../eval/trustGate';
import { SUITE_GLOB } from '../eval/suiteFinder';
import { isSuitePath } from '../eval/targetUri';
import { refOf, EvalTestTree } from './testTree';
import { runSelection, runTests, selectionOf } from './testRun';

export const TEST_CONTROLLER_ID = 'promptLedger.evals';

export interface EvalTesting {
  controller: vscode.TestController;
  tree: EvalTestTree;
  profile: vscode.TestRunProfile;
  /** Watch-mode passes finished in this window (for tests and the status line). */
  watchPasses: number;
}

/** The files whose save re-runs a suite: the suite itself, its prompts, its dataset file. */
function watchedFiles(suiteFile: string): Set<string> {
  const out = new Set([path.resolve(suiteFile)]);
  try {
    const suite = loadSuite(suiteFile, { checkFiles: false });
    for (const p of suite.promptPaths) out.add(path.resolve(p));
    if (suite.datasetPath) out.add(path.resolve(suite.datasetPath));
  } catch { /* a broken suite: its own file is still watched */ }
  return out;
}

export function registerTestingFeature(services: Services): { testing: EvalTesting; disposables: vscode.Disposable[] } {
  const controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Prompt Ledger evals');
  const tree = new EvalTestTree(controller);
  const testing = { controller, tree, watchPasses: 0 } as EvalTesting;
  controller.resolveHandler = async (item) => {
    if (!item) await tree.discoverSuites();
    else tree.resolveSuite(item);
  };
  controller.refreshHandler = async () => { await tree.discoverSuites(); tree.suites().forEach((s) => tree.resolveSuite(s)); };

  const watch = (request: vscode.TestRunRequest, token: vscode.CancellationToken): void => {
    const refusal = evalRefusal(vscode.workspace.isTrusted);
    if (refusal) { void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`); return; }
    const loops = new Map<string, WatchLoop>();
    const loopFor = (suiteFile: string) => {
      let loop = loops.get(suiteFile);
      if (!loop) {
        loop = new WatchLoop(async (signal) => {
          // Re-read the suite (cases may have been added or renamed), then take the request's share of it.
          tree.refreshSuite(suiteFile);
          const sel = selectionOf(tree, request).find((s) => refOf(s.suite).suiteFile === suiteFile);
          if (!sel) return;
          const run = controller.createTestRun(request, `watch ${sel.suite.label}`, true);
          try {
            await runSelection(services, run, sel, { background: true, signal });
          } finally {
            run.end();
            testing.watchPasses++;
          }
        });
        loops.set(suiteFile, loop);
      }
      return loop;
    };
    const suitesInRequest = () => new Set(selectionOf(tree, request).map((s) => refOf(s.suite).suiteFile));
    const sub = vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme !== 'file') return;
      const saved = path.resolve(doc.uri.fsPath);
      for (const suiteFile of suitesInRequest()) if (watchedFiles(suiteFile).has(saved)) loopFor(suiteFile).trigger();
    });
    token.onCancellationRequested(() => { sub.dispose(); for (const l of loops.values()) l.dispose(); });
  };

  const profile = controller.createRunProfile('Run eval cases', vscode.TestRunProfileKind.Run, (request, token) => {
    if (request.continuous) return watch(request, token);
    return runTests(services, controller, tree, request, token);
  }, true, undefined, true);
  testing.profile = profile;

  // New or deleted suites change the top level; an edited suite or dataset its cases.
  const suites = vscode.workspace.createFileSystemWatcher(SUITE_GLOB);
  const rediscover = () => void tree.discoverSuites();
  suites.onDidCreate(rediscover);
  suites.onDidDelete(rediscover);
  suites.onDidChange((u) => tree.refreshSuite(u.fsPath));
  const datasetSaved = vscode.workspace.onDidSaveTextDocument((doc) => {
    for (const s of tree.suites()) if (watchedFiles(s.id).has(path.resolve(doc.uri.fsPath))) tree.refreshSuite(s.id);
  });
  // Opening a suite or a dataset resolves its cases (Run Test at Cursor, gutter icons).
  const opened = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    void tree.documentOpened(file, isSuitePath, (f) => tree.suites().map((s) => s.id).filter((s) => watchedFiles(s).has(path.resolve(f))));
  };
  vscode.workspace.textDocuments.forEach(opened);
  const openSub = vscode.workspace.onDidOpenTextDocument(opened);
  return { testing, disposables: [controller, profile, suites, datasetSaved, openSub] };
}
