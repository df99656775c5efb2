import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { WS, waitFor, wsUri } from './evalHelpers';

const promptUri = () => wsUri('prompts', 'summarize.prompty');

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return (lenses ?? []).map((l) => l.command?.title ?? '');
}

describe('prompts as git-versioned artifacts', () => {
  before(async () => {
    await vscode.extensions.getExtension('prompt-ledger.prompt-ledger')!.activate();
  });

  it('shows the version label CodeLens with the commit on the first line', async () => {
    const doc = await vscode.workspace.openTextDocument(promptUri());
    await vscode.window.showTextDocument(doc);
    const head = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: WS, encoding: 'utf8' }).trim();
    const titles = await waitFor(async () => { const t = await lensTitles(doc.uri); return t[0]?.startsWith('v') ? t : undefined; }, 'CodeLens');
    assert.equal(titles[0], `v3 · ${head}`);
    // The eval line (`pass … %`, testing.test.ts) depends on which evals ran before: not this test's subject.
    assert.deepEqual(titles.slice(1).filter((t) => !/^pass \d+ %|^edited — not evaluated$/.test(t)), ['Run eval', 'History', 'Compare']);
  });

  it('hovers the header with commit, author and the content hash runs record', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', promptUri(), new vscode.Position(0, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /Ada Example/);
    assert.match(text, /Content hash/);
    assert.match(text, /v3/);
  });

  it('marks the label edited on an unsaved change, without saving', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(promptUri()));
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\nextra line\n'));
    const titles = await waitFor(async () => { const t = await lensTitles(editor.document.uri); return t[0]?.includes('edited') ? t : undefined; }, 'edited label');
    assert.match(titles[0], /^v3 · [0-9a-f]{7} · edited$/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(async () => { const t = await lensTitles(editor.document.uri); return t[0] && !t[0].includes('edited') ? t : undefined; }, 'label back to clean');
  });

  it('copies a version id', async () => {
    const id = await vscode.commands.executeCommand<string>('promptLedger.copyVersionId', promptUri());
    assert.equal(id, 'prompts/summarize.prompty@v3');
    assert.equal(await vscode.env.clipboard.readText(), id);
  });

  it('opens an older version read-only and diffs it with the working copy', async () => {
    const services = vscode.extensions.getExtension('prompt-ledger.prompt-ledger')!.exports;
    const info = await services.labels.ensure(promptUri());
    const { fileHistory } = await import('../../src/core/versions/history');
    const history = await fileHistory(info.repoRoot, info.repoRelPath);
    assert.deepEqual(history.map((h: { version: number }) => h.version), [3, 2, 1]);
    const v1 = { kind: 'version', info, entry: history[2], isHead: false };
    await vscode.commands.executeCommand('promptLedger.openAtVersion', v1);
    const opened = vscode.window.activeTextEditor!.document;
    assert.equal(opened.uri.scheme, 'promptledger-version');
    assert.match(opened.getText(), /description: first draft/);
    await vscode.commands.executeCommand('promptLedger.compareWithVersion', v1);
    const tab = await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff ? vscode.window.tabGroups.activeTabGroup.activeTab : undefined, 'diff tab');
    assert.match(tab.label, /v1/);
  });

  it('lists prompt files with labels in the Prompts view data', async () => {
    const services = vscode.extensions.getExtension('prompt-ledger.prompt-ledger')!.exports;
    const all = services.labels.all().map((i: { relPath: string; label: { text: string } }) => `${i.relPath} ${i.label.text.split(' · ')[0]}`);
    assert.ok(all.includes('prompts/summarize.prompty v3'), all.join(', '));
    assert.ok(all.includes('prompts/translate.md v3'), all.join(', '));
  });

  it('puts prompt problems in the Problems panel with line numbers', async () => {
    const bad = wsUri('prompts', 'broken.prompty');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('---\nname: broken\nmodel: [unclosed\n---\nuser:\nHi {{ who }}\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(bad));
    const diags = await waitFor(() => { const d = vscode.languages.getDiagnostics(bad); return d.length ? d : undefined; }, 'diagnostics');
    assert.ok(diags.some((d) => d.source === 'Prompt Ledger' && d.range.start.line >= 1), JSON.stringify(diags));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(bad);
  });
});
