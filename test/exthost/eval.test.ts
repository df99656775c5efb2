import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import { evalRefusal } from '../../src/extension/eval/trustGate';
import { suiteTemplate } from '../../src/extension/eval/suiteTemplate';
import { parseSuite } from '../../src/core/eval/suiteLoader';
import { parsePromptFile } from '../../src/core/prompts/promptFile';
import { services, WS, waitFor, wsUri } from './evalHelpers';

describe('Run Eval on This Prompt', () => {
  before(async () => { await services(); });

  it('runs the suite that uses the prompt and records a FINISHED run with pass_rate in the workspace store', async () => {
    const result = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('prompts', 'summarize.prompty'));
    assert.ok(result, 'no result');
    assert.equal(result.status, 'FINISHED');
    assert.equal(result.runs.length, 1);
    const s = await services();
    const store = await s.tracking.getStore();
    assert.equal(store.kind, 'embedded');
    assert.equal(path.resolve(store.location), path.join(WS, '.promptledger'));
    const run = await store.getRun(result.runs[0].runId);
    assert.equal(run.info.status, 'FINISHED');
    const passRate = run.data.metrics.find((m) => m.key === 'pass_rate');
    assert.ok(passRate, 'pass_rate metric missing');
    assert.ok(passRate.value >= 0 && passRate.value <= 1);
    assert.equal(run.data.params.find((p) => p.key === 'prompt_path')?.value, 'prompts/summarize.prompty');
  });

  it('runs a suite directly when given an *.eval.yaml', async () => {
    const result = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('classify.eval.yaml'));
    assert.equal(result.experimentName, 'classify');
    assert.equal(result.runs[0].status, 'FINISHED');
    assert.equal(result.passed, true);
  });

  it('refuses in an untrusted workspace and names what would execute', () => {
    assert.equal(evalRefusal(true), undefined);
    const msg = evalRefusal(false);
    assert.match(msg ?? '', /untrusted workspace/);
    assert.match(msg ?? '', /command providers, javascript scorers/);
  });

  it('builds a starter suite that loads and uses the prompt sample values', () => {
    const promptPath = path.join(WS, 'prompts', 'summarize.prompty');
    const parsed = parsePromptFile(fs.readFileSync(promptPath, 'utf8'), promptPath);
    const text = suiteTemplate(promptPath, parsed);
    const suite = parseSuite(text, path.join(WS, 'prompts', 'summarize.eval.yaml'));
    assert.deepEqual(suite.promptPaths, [promptPath]);
    assert.equal(suite.spec.models[0].provider, 'echo');
    assert.equal(suite.inlineCases?.[0].vars.text, parsed.sample?.text);
    assert.match(text, /type: contains\n\s+value: "\{\{text\}\}"/);
  });
});

describe('eval suite diagnostics', () => {
  const broken = path.join(WS, 'broken.eval.yaml');
  after(() => fs.rmSync(broken, { force: true }));

  it('reports a problem at its 1-based line as a 0-based VS Code range, and clears it when fixed', async () => {
    await services();
    fs.writeFileSync(broken, 'prompt: prompts/summarize.prompty\ndataset: datasets/summarize.jsonl\nmodels:\n  - provider: echo\nscorrers:\n  - type: contains\n    value: x\n');
    const uri = vscode.Uri.file(broken);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const diags = await waitFor(() => { const d = vscode.languages.getDiagnostics(uri); return d.length ? d : undefined; }, 'suite diagnostics');
    const unknown = diags.find((d) => /scorrers/.test(d.message));
    assert.ok(unknown, `no diagnostic about the misspelt key: ${diags.map((d) => d.message).join(' | ')}`);
    assert.equal(unknown.range.start.line, 4);
    assert.equal(unknown.range.start.character, 0);
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unknown.message, /did you mean `scorers`/);
    assert.equal(unknown.source, 'Prompt Ledger');

    await editor.edit((e) => e.replace(new vscode.Range(4, 0, 4, 8), 'scorers'));
    await waitFor(() => (vscode.languages.getDiagnostics(uri).some((d) => /scorrers/.test(d.message)) ? undefined : true), 'diagnostic cleared');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
