import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import type { ReproduceResult } from '../../src/core/eval/reproduce';
import { TAGS } from '../../src/core/eval/runContext';
import { fileHistory } from '../../src/core/versions/history';
import type { PromptTreeNode } from '../../src/extension/prompts/promptsTree';
import fs from 'node:fs';
import { registerPromptVersion } from '../../src/core/registry/promptRegistry';
import { registerInputFromFile } from '../../src/core/registry/promptFileRegistration';
import { normalizedContentHash } from '../../src/core/prompts/contentHash';
import { services, wsUri } from './evalHelpers';

describe('Run Eval on This Version and Reproduce Run (extension host)', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Run Eval on This Version on a Prompts view version node records that version\'s commit', async () => {
    const s = await services();
    const info = (await s.labels.ensure(wsUri('prompts', 'summarize.prompty')))!;
    const history = await fileHistory(info.repoRoot!, info.repoRelPath!);
    const oldest = history[history.length - 1];
    const node: PromptTreeNode = { kind: 'version', info, entry: oldest, isHead: false };
    const result = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEvalOnVersion', node);
    assert.ok(result?.runs.length, 'the eval ran');
    const run = await (await s.tracking.getStore()).getRun(result.runs[0].runId);
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    assert.equal(params.git_commit, oldest.commit);
    assert.equal(params.prompt_version, `v${oldest.version}`);
    assert.equal(run.data.tags.find((t) => t.key === TAGS.promptAt)?.value, `v${oldest.version}`);
  });

  it('Reproduce Run reproduces a run identically and tags it with the original', async () => {
    const first = await vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', wsUri('summarize.eval.yaml'));
    const id = first.runs[0].runId;
    const r = await vscode.commands.executeCommand<ReproduceResult>('promptLedger.reproduceRun', id);
    assert.equal(r.identical, true, JSON.stringify(r.metrics.filter((m) => !m.equal)));
    const run = await (await (await services()).tracking.getStore()).getRun(r.run!.runId);
    assert.equal(run.data.tags.find((t) => t.key === TAGS.reproducedFrom)?.value, id);
  });

  it('Compare with Production evals the working file and the production version, and opens their comparison', async () => {
    const s = await services();
    const uri = wsUri('prompts', 'classify.prompty');
    const store = await s.tracking.getStore();
    const registered = fs.readFileSync(uri.fsPath, 'utf8');
    const input = registerInputFromFile(registered, 'prompts/classify.prompty');
    const { version } = await registerPromptVersion(store, input);
    await store.setAlias(input.name, 'production', version);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\nBe brief.\n'));
    await doc.save();
    try {
      const r = await vscode.commands.executeCommand<{ working: SuiteResult; production: SuiteResult; panel: vscode.WebviewPanel }>('promptLedger.compareWithProduction', uri);
      assert.ok(r, 'both evals ran');
      const prod = await store.getRun(r.production.runs[0].runId);
      const params = Object.fromEntries(prod.data.params.map((p) => [p.key, p.value]));
      assert.equal(params.prompt_hash, normalizedContentHash(registered));
      assert.equal(params.prompt_version, `production (v${version})`);
      assert.notEqual(r.working.runs[0].promptHash, params.prompt_hash, 'the working run used the edited file');
      assert.equal(r.panel.title, `Compare ${2 * r.working.runs.length} runs`);
    } finally {
      fs.writeFileSync(uri.fsPath, registered);
    }
  });
});
