// The Test Explorer's eval tree and runs, in the real extension host: suites → cases with their
// dataset lines, a failing case's message with expected vs actual at its line, a partial run's tag.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import { TAGS } from '../../src/core/eval/runContext';
import { runSelection, selectionOf } from '../../src/extension/testing/testRun';
import { services, waitFor, WS } from './evalHelpers';

interface Recorded { passed: string[]; failed: { id: string; message: vscode.TestMessage }[]; errored: string[] }

/** A real TestRun whose outcomes are also written down, so the test can read them back. */
function observed(run: vscode.TestRun): { run: vscode.TestRun; seen: Recorded } {
  const seen: Recorded = { passed: [], failed: [], errored: [] };
  const wrapped = Object.create(run) as vscode.TestRun;
  wrapped.passed = (t, d) => { seen.passed.push(t.id); run.passed(t, d); };
  wrapped.failed = (t, m, d) => { seen.failed.push({ id: t.id, message: Array.isArray(m) ? m[0] : m as vscode.TestMessage }); run.failed(t, m, d); };
  wrapped.errored = (t, m, d) => { seen.errored.push(t.id); run.errored(t, m, d); };
  return { run: wrapped, seen };
}

describe('Test Explorer: eval cases', () => {
  const failing = path.join(WS, 'labels.eval.yaml');
  before(async () => {
    fs.writeFileSync(failing, [
      'prompt: prompts/classify.prompty',
      'models: [{ provider: echo }]',
      'dataset:',
      '  cases:',
      '    - id: right',
      '      vars: { ticket: "billing" }',
      '      assert: [{ type: contains, value: billing }]',
      '    - id: wrong',
      '      vars: { ticket: "My invoice is wrong." }',
      '      expected: billing',
      '      assert: [{ type: equals }]',
      '',
    ].join('\n'));
    await services();
  });
  after(() => fs.rmSync(failing, { force: true }));

  it('lists suites, and a suite\'s cases with their id and dataset line (CSV)', async () => {
    const { testing } = await services();
    await testing!.tree.discoverSuites();
    const suite = testing!.controller.items.get(path.join(WS, 'classify.eval.yaml'));
    assert.ok(suite, 'classify suite missing');
    // Lazily: a suite nobody opened or expanded has not read its dataset yet.
    assert.equal(testing!.controller.items.get(failing)?.canResolveChildren, true, 'cases are resolved lazily');
    testing!.tree.resolveSuite(suite);
    const ids: string[] = [];
    suite.children.forEach((c) => ids.push(c.label));
    assert.deepEqual(ids.slice(0, 2), ['invoice', 'crash']);
    const crash = [...iter(suite.children)].find((c) => c.label === 'crash')!;
    assert.equal(crash.uri?.fsPath, path.join(WS, 'datasets', 'classify.csv'));
    assert.equal(crash.range?.start.line, 2, 'crash is on the CSV\'s third line');
  });

  it('runs one failing case: fails with expected vs actual at its dataset line, recorded as a partial run', async () => {
    const s = await services();
    await s.testing!.tree.discoverSuites();
    const suite = s.testing!.controller.items.get(failing)!;
    s.testing!.tree.resolveSuite(suite);
    const wrong = [...iter(suite.children)].find((c) => c.label === 'wrong')!;
    const request = new vscode.TestRunRequest([wrong]);
    const [sel] = selectionOf(s.testing!.tree, request);
    assert.equal(sel.whole, false);
    const { run, seen } = observed(s.testing!.controller.createTestRun(request));
    let result: SuiteResult | undefined;
    try { result = await runSelection(s, run, sel); } finally { run.end(); }
    assert.deepEqual(seen.passed, []);
    assert.equal(seen.failed.length, 1);
    const msg = seen.failed[0].message;
    assert.equal(msg.expectedOutput, 'billing');
    assert.match(msg.actualOutput ?? '', /My invoice is wrong\./);
    assert.match(String(msg.message), /equals/);
    assert.equal(msg.location?.uri.fsPath, failing);
    assert.equal(msg.location?.range.start.line, 7, 'points at the `- id: wrong` line');
    const store = await s.tracking.getStore();
    const recorded = await store.getRun(result!.runs[0].runId);
    assert.equal(recorded.data.tags.find((t) => t.key === TAGS.partial)?.value, '1/2');
  });

  it('runs a whole suite as a full run: every case passes, no partial tag', async () => {
    const s = await services();
    await s.testing!.tree.discoverSuites();
    const suite = s.testing!.controller.items.get(path.join(WS, 'classify.eval.yaml'))!;
    const request = new vscode.TestRunRequest([suite]);
    const [sel] = selectionOf(s.testing!.tree, request);
    assert.equal(sel.whole, true);
    const { run, seen } = observed(s.testing!.controller.createTestRun(request));
    let result: SuiteResult | undefined;
    try { result = await runSelection(s, run, sel); } finally { run.end(); }
    assert.equal(seen.passed.length, suite.children.size);
    assert.deepEqual(seen.failed, []);
    const recorded = await (await s.tracking.getStore()).getRun(result!.runs[0].runId);
    assert.equal(recorded.data.tags.find((t) => t.key === TAGS.partial), undefined);
  });

  it('the prompt\'s CodeLens shows the pass rate of its last whole-suite run on this exact text', async () => {
    const s = await services();
    s.tracking.notifyChanged(); // as after any run: the cached lines are looked up again
    const uri = vscode.Uri.file(path.join(WS, 'prompts', 'classify.prompty'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const title = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return (lenses ?? []).map((l) => l.command?.title ?? '').find((t) => t.startsWith('pass '));
    }, 'the pass-rate CodeLens');
    // Whether a delta follows depends on whether registry.test.ts made a production version of classify first.
    assert.match(title, /^pass 100 %( ±0 vs production)?$/);
  });
});

function* iter(c: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const all: vscode.TestItem[] = [];
  c.forEach((i) => all.push(i));
  yield* all;
}
