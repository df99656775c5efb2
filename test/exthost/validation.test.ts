// Validate before spending, in the editor: dataset problems in the Problems panel at their row,
// the suite CodeLens `N cases · M problems`, and unsaved dataset edits re-checked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { services, waitFor, WS } from './evalHelpers';

describe('dataset validation in the editor', () => {
  const suite = path.join(WS, 'validate-me.eval.yaml');
  const data = path.join(WS, 'datasets', 'validate-me.jsonl');
  after(() => { fs.rmSync(suite, { force: true }); fs.rmSync(data, { force: true }); });

  it('puts a dataset problem at its JSONL line, counts it in the suite CodeLens, and clears it on an unsaved fix', async () => {
    await services();
    fs.writeFileSync(data, [
      '{"id": "a", "vars": {"text": "Alpha release is out."}}',
      '{"id": "b", "vars": {"text": "Beta is delayed."}}',
      '{"id": "c", "vars": {"txt": "Gamma has a typo in its column."}}',
    ].join('\n') + '\n');
    fs.writeFileSync(suite, 'prompt: prompts/summarize.prompty\ndataset: datasets/validate-me.jsonl\nmodels:\n  - provider: echo\nscorers:\n  - type: contains\n    value: release\n');
    const suiteUri = vscode.Uri.file(suite);
    const dataUri = vscode.Uri.file(data);
    const missing = await waitFor(() => vscode.languages.getDiagnostics(dataUri).find((d) => d.code === 'missing-variable'), 'dataset diagnostic');
    assert.equal(missing.range.start.line, 2, 'third JSONL line');
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.match(missing.message, /case c: no value for `text`/);
    assert.ok(vscode.languages.getDiagnostics(dataUri).some((d) => d.code === 'unused-column' && /`txt`/.test(d.message)));

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(suiteUri));
    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', suiteUri);
      return lenses?.find((l) => /cases ·/.test(l.command?.title ?? ''));
    }, 'suite CodeLens');
    assert.equal(lens.command!.title, '3 cases · 2 problems');
    assert.equal(lens.command!.command, 'workbench.actions.view.problems');

    const doc = await vscode.workspace.openTextDocument(dataUri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.replace(doc.lineAt(2).range, '{"id": "c", "vars": {"text": "Gamma is fixed."}}'));
    await waitFor(() => (vscode.languages.getDiagnostics(dataUri).length === 0 ? true : undefined), 'problems cleared by the unsaved edit');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => (vscode.languages.getDiagnostics(dataUri).length > 0 ? true : undefined), 'problems back after the edit was reverted');
  });
});
