// What a finished run leaves in the editor: ✓/✗ on each case's dataset line (JSONL and inline
// cases), `edited — not evaluated` on a prompt whose text is no longer the evaluated one, and
// "Show Monitor" from the prompt's hover and the registry panel's session.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { runSuite } from '../../src/core/eval/runner';
import { loadSuite } from '../../src/core/eval/suiteLoader';
import { RegistrySession } from '../../src/extension/panels/registrySession';
import { services, waitFor, WS, wsUri } from './evalHelpers';

const lineOf = (file: string, needle: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return (lenses ?? []).map((l) => l.command?.title ?? '');
}

async function hoverParts(uri: vscode.Uri): Promise<vscode.MarkdownString[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 1));
  return hovers.flatMap((h) => h.contents as vscode.MarkdownString[]);
}

describe('after a run: case marks on dataset lines, staleness, Monitor links', () => {
  const inline = path.join(WS, 'marks-inline.eval.yaml');
  before(async () => {
    fs.writeFileSync(inline, [
      'prompt: prompts/translate.md',
      'models: [{ provider: echo }]',
      'scorers: [{ type: contains, value: Bonjour }]',
      'dataset:',
      '  cases:',
      '    - id: greets',
      '      vars: { text: "Bonjour tout le monde" }',
      '    - id: silent',
      '      vars: { text: "Hello" }',
      '',
    ].join('\n'));
    await services();
  });
  after(() => fs.rmSync(inline, { force: true }));

  it('marks each JSONL case line with its latest result, the scorer message on the failing one', async () => {
    const s = await services();
    const result = await vscode.commands.executeCommand<{ runs: unknown[] }>('promptLedger.runEval', wsUri('summarize.eval.yaml'));
    assert.ok(result, 'the eval ran');
    const dataset = path.join(WS, 'datasets', 'summarize.jsonl');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dataset));
    const marks = s.caseDecorations.marksOf(vscode.Uri.file(dataset));
    assert.equal(marks.length, 8);
    assert.deepEqual(marks.map((m) => m.line), [1, 2, 3, 4, 5, 6, 7, 8]);
    const failed = marks.filter((m) => !m.passed);
    assert.deepEqual(failed.map((m) => m.caseId), ['support-pii']);
    assert.equal(failed[0].line, lineOf(dataset, '"support-pii"'));
    assert.match(failed[0].message, /✗ pii: PII found/);
  });

  it('marks inline cases on their `- id:` lines in the suite file', async () => {
    const s = await services();
    await vscode.commands.executeCommand('promptLedger.runEval', vscode.Uri.file(inline));
    const marks = s.caseDecorations.marksOf(vscode.Uri.file(inline));
    assert.deepEqual(marks.map((m) => [m.caseId, m.line, m.passed]), [['greets', lineOf(inline, '- id: greets'), true], ['silent', lineOf(inline, '- id: silent'), false]]);
    assert.match(marks[1].message, /echo: failed\n✗ contains/);
  });

  it('marks a dataset this window never ran from the suite\'s latest run in the store (a CLI run)', async () => {
    const s = await services();
    const dataset = path.join(WS, 'datasets', 'marks-cli.jsonl');
    const suiteFile = path.join(WS, 'marks-cli.eval.yaml');
    fs.writeFileSync(dataset, '{"id": "fr", "vars": {"text": "Bonjour"}}\n{"id": "en", "vars": {"text": "Hello"}}\n');
    fs.writeFileSync(suiteFile, 'prompt: prompts/translate.md\ndataset: datasets/marks-cli.jsonl\nmodels: [{ provider: echo }]\nscorers: [{ type: contains, value: Bonjour }]\n');
    try {
      // Recorded by the core alone, as `prompt-ledger eval` would: the window is not told.
      await runSuite(loadSuite(suiteFile), { store: await s.tracking.getStore(), workspaceRoot: WS, trusted: true, noCache: true, cacheDir: path.join(WS, '.promptledger', 'cache') });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dataset));
      const marks = await waitFor(() => { const m = s.caseDecorations.marksOf(vscode.Uri.file(dataset)); return m.length === 2 ? m : undefined; }, 'marks from the store');
      assert.deepEqual(marks.map((m) => [m.caseId, m.line, m.passed]), [['fr', 1, true], ['en', 2, false]]);
      assert.match(marks[1].message, /^\(recorded run\)\ncontains: 0 — /);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(dataset, { force: true });
      fs.rmSync(suiteFile, { force: true });
    }
  });

  it('says `edited — not evaluated` as soon as the text differs from the evaluated one, and why in the hover', async () => {
    const s = await services();
    s.tracking.notifyChanged();
    const uri = wsUri('prompts', 'summarize.prompty');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor(async () => (await lensTitles(uri)).find((t) => t.startsWith('pass 88 %')), 'the pass rate of the evaluated text');
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\nOne more instruction.\n'));
    try {
      await waitFor(async () => (await lensTitles(uri)).includes('edited — not evaluated'), 'the stale line');
      const hover = (await hoverParts(uri)).map((m) => m.value).join('\n');
      assert.match(hover, /Evals: `edited — not evaluated` \(last evaluated text [0-9a-f]+: pass 88 %; this text has no eval run yet\)/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitFor(async () => (await lensTitles(uri)).find((t) => t.startsWith('pass 88 %')), 'the pass rate again after the revert');
  });

  it('offers Show Monitor in the hover of a registered prompt, trusted for that command only', async () => {
    const s = await services();
    const uri = wsUri('prompts', 'translate.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const r = await vscode.commands.executeCommand<{ version: string }>('promptLedger.registerPromptVersion', uri, 'for the monitor link');
    const parts = await waitFor(async () => { const p = await hoverParts(uri); return p.some((m) => m.value.includes('command:promptLedger.showMonitor')) ? p : undefined; }, 'the Show Monitor link');
    const link = parts.find((m) => m.value.includes('command:promptLedger.showMonitor'))!;
    const args = decodeURIComponent(/showMonitor\?([^ )]+)/.exec(link.value)![1]);
    assert.deepEqual(JSON.parse(args), [`translate/${r.version}`]);
    assert.deepEqual(link.isTrusted, { enabledCommands: ['promptLedger.showMonitor'] });
    const plain = parts.filter((m) => m !== link);
    assert.equal(plain.length, 1);
    assert.ok(!plain[0].isTrusted, 'the part with git text stays untrusted');
    // (The Monitor panel itself needs an MLflow server's traces: registryTree.e2e.test.ts opens it.)

    // The registry panel's Monitor button: its typed message reaches the same command as name/version.
    const asked: string[] = [];
    const session = new RegistrySession({ store: await s.tracking.getStore(), post: () => undefined, openRun: () => undefined, openLink: () => undefined, log: () => undefined, showMonitor: (ref) => asked.push(ref) },
      { governanceRequiresEval: false, author: 'test' });
    await session.handle({ type: 'showMonitor', name: 'translate', version: r.version });
    await session.handle({ type: 'showMonitor', name: 'translate', version: 'latest' }); // not a version number: refused by the protocol
    assert.deepEqual(asked, [`translate/${r.version}`]);
  });
});
