// "Run" in the Test Explorer: the selected cases (one, a suite's, or all) go through the same
// path as Run Eval (runEval.ts executeSuite: store, secrets, prices, cost preflight) with a case-id
// filter; every recorded row comes back as the case's pass/fail with the scorers' reasons, and a
// failure as expected vs actual at its dataset line. A run of some of a suite's cases is recorded
// as a partial run (TAGS.partial). Untrusted workspaces run nothing.
import * as vscode from 'vscode';
import { runSuite, type CaseSink, type RunSuiteOptions, type SuiteResult } from '../../core/eval/runner';
import type { PlanOptions } from '../../core/eval/runPlan';
import { caseOutcome } from '../../core/eval/testCases';
import type { Services } from '../services';
import { executeSuite } from '../eval/runEval';
import { evalRefusal } from '../eval/trustGate';
import { refOf, type EvalTestTree } from './testTree';

/** One suite's share of a test run: its item, the case items asked for, and whether that is all of them. */
export interface SuiteSelection { suite: vscode.TestItem; cases: vscode.TestItem[]; whole: boolean }

/** Groups the request's items by suite (resolving suites that were never expanded), minus exclusions. */
export function selectionOf(tree: EvalTestTree, request: vscode.TestRunRequest): SuiteSelection[] {
  const excluded = new Set((request.exclude ?? []).map((i) => i.id));
  const bySuite = new Map<string, SuiteSelection>();
  const roots = request.include ?? tree.suites();
  for (const item of roots) {
    if (excluded.has(item.id)) continue;
    const { caseId } = refOf(item);
    const suite = caseId === undefined ? item : item.parent!;
    if (suite.canResolveChildren) tree.resolveSuite(suite);
    const sel = bySuite.get(suite.id) ?? { suite, cases: [], whole: false };
    bySuite.set(suite.id, sel);
    const kids: vscode.TestItem[] = [];
    if (caseId === undefined) suite.children.forEach((c) => kids.push(c));
    else kids.push(item);
    for (const k of kids) if (!excluded.has(k.id) && !sel.cases.includes(k)) sel.cases.push(k);
  }
  for (const sel of bySuite.values()) sel.whole = sel.cases.length === sel.suite.children.size;
  return [...bySuite.values()].filter((s) => s.cases.length > 0 || s.suite.error);
}

export interface SuiteRunOptions {
  /** Watch mode: progress in the status bar, and no closing notification. */
  background?: boolean;
  signal?: AbortSignal;
}

/** Runs one suite's selected cases into `run`; resolves with the runner's result (undefined: nothing ran). */
export async function runSelection(services: Services, run: vscode.TestRun, sel: SuiteSelection, opts: SuiteRunOptions = {}): Promise<SuiteResult | undefined> {
  const { suiteFile } = refOf(sel.suite);
  if (sel.suite.error) {
    run.errored(sel.suite, new vscode.TestMessage(typeof sel.suite.error === 'string' ? sel.suite.error : sel.suite.error.value));
    return undefined;
  }
  const byCase = new Map(sel.cases.map((c) => [refOf(c).caseId!, c]));
  for (const c of sel.cases) run.started(c);
  // With several models a case runs once per model; it passes only when every one passes.
  const failedCases = new Set<string>();
  const sink: CaseSink = {
    caseRecorded: ({ row, model }) => {
      const item = byCase.get(row.caseId);
      if (!item) return;
      const o = caseOutcome(row);
      const where = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
      if (o.passed) {
        if (!failedCases.has(row.caseId)) run.passed(item, o.durationMs);
        run.appendOutput(`${row.caseId} · ${model}: passed\r\n${o.message.replace(/\n/g, '\r\n')}\r\n`, where, item);
        return;
      }
      failedCases.add(row.caseId);
      const text = `${model}: ${o.message}`;
      const msg = o.expected !== undefined && o.actual !== undefined ? vscode.TestMessage.diff(text, o.expected, o.actual) : new vscode.TestMessage(text);
      msg.location = where;
      run.failed(item, msg, o.durationMs);
    },
  };
  try {
    const result = await executeSuite(services, suiteFile, { quiet: true, progressLocation: opts.background ? vscode.ProgressLocation.Window : undefined }, undefined, {
      title: `Eval ${sel.suite.label}${sel.whole ? '' : ` · ${sel.cases.length} case${sel.cases.length === 1 ? '' : 's'}`}`,
      run: (suite, o) => {
        const signal = opts.signal ? AbortSignal.any([o.signal!, opts.signal].filter(Boolean) as AbortSignal[]) : o.signal;
        const withCases: RunSuiteOptions & Pick<PlanOptions, 'caseIds'> = {
          ...o, signal, caseSinks: [...(o.caseSinks ?? []), sink], caseIds: sel.whole ? undefined : [...byCase.keys()],
        };
        return runSuite(suite, withCases);
      },
    });
    for (const r of result?.runs ?? []) if (r.error) for (const c of sel.cases) run.errored(c, new vscode.TestMessage(`${r.model}: ${r.error}`));
    if (!result) for (const c of sel.cases) run.skipped(c);
    return result;
  } catch (e) {
    const msg = new vscode.TestMessage((e as Error).message);
    for (const c of sel.cases) run.errored(c, msg);
    return undefined;
  }
}

/** The run profile's handler for a one-off run. */
export async function runTests(services: Services, controller: vscode.TestController, tree: EvalTestTree, request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
  const run = controller.createTestRun(request);
  const refusal = evalRefusal(vscode.workspace.isTrusted);
  const selections = selectionOf(tree, request);
  if (refusal) {
    for (const s of selections) for (const c of s.cases.length ? s.cases : [s.suite]) run.errored(c, new vscode.TestMessage(refusal));
    run.end();
    return;
  }
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort(new Error('cancelled by the user')));
  try {
    for (const sel of selections) {
      if (abort.signal.aborted) break;
      await runSelection(services, run, sel, { signal: abort.signal });
    }
  } finally {
    sub.dispose();
    run.end();
  }
}
