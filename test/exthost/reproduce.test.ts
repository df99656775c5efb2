import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import type { ReproduceResult } from '../../src/core/eval/reproduce';
import { TAGS } from '../../src/core/eval/runContext';
import { fileHistory } from '../../src/core/versions/history';
import type { PromptTreeNode } from '../../src/extension/prompts/promptsTree';
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
});
