import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { auditTrail, listPromptVersions } from '../../src/core/registry/promptRegistry';
import type { AliasChangeResult } from '../../src/core/registry/promptRegistry';
import type { RegistryNode } from '../../src/extension/registry/registryTree';
import { services, waitFor, wsUri } from './evalHelpers';
import { getPrompt, registerPrompt } from '../../src/core/registry/promptStore';

describe('Registry view and commands (workspace store)', () => {
  const prompt = wsUri('prompts', 'summarize.prompty');
  let original: string;
  before(async () => {
    await services();
    original = fs.readFileSync(prompt.fsPath, 'utf8');
  });
  after(async () => {
    await replaceText(prompt, original);
    await vscode.workspace.getConfiguration('promptLedger').update('governance.requireEvalForProduction', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('registers the prompt text once per content hash, with git commit and source path', async () => {
    const s = await services();
    const r1 = await vscode.commands.executeCommand<{ name: string; version: string; reused: boolean }>('promptLedger.registerPromptVersion', prompt, 'first');
    assert.equal(r1.name, 'summarize');
    assert.equal(r1.reused, false);
    const again = await vscode.commands.executeCommand<{ name: string; version: string; reused: boolean }>('promptLedger.registerPromptVersion', prompt, 'again');
    assert.deepEqual([again.name, again.version, again.reused], ['summarize', r1.version, true]);
    const store = await s.tracking.getStore();
    const pv = await getPrompt(store, 'summarize', { version: r1.version });
    assert.equal(pv.form.type, 'chat', 'a Prompty file registers as a chat prompt');
    assert.equal(pv.allTags.find((t) => t.key === 'promptledger.source')?.value, original);
    assert.equal(pv.tags.find((t) => t.key === 'promptledger.sourcePath')?.value, 'prompts/summarize.prompty');
  });

  it('moves staging with a note and an author, rolls it back, and shows aliases in the tree', async () => {
    const s = await services();
    await replaceText(prompt, original.replace(/^description:.*$/m, 'description: a second registered text'));
    const v2 = await vscode.commands.executeCommand<{ version: string }>('promptLedger.registerPromptVersion', prompt, 'second');
    const v1 = String(Number(v2.version) - 1);
    const m1 = await vscode.commands.executeCommand<AliasChangeResult>('promptLedger.setAlias', undefined, { name: 'summarize', version: v1, alias: 'staging', note: 'first good one' });
    assert.equal(m1.ok, true);
    const m2 = await vscode.commands.executeCommand<AliasChangeResult>('promptLedger.setAlias', undefined, { name: 'summarize', version: v2.version, alias: 'staging', note: 'tighter text' });
    assert.equal(m2.ok, true);

    const roots = await s.registryTree.getChildren();
    const node = roots.find((n): n is Extract<RegistryNode, { kind: 'prompt' }> => n.kind === 'prompt' && n.name === 'summarize');
    assert.ok(node, 'prompt missing from the Registry view');
    const versions = await s.registryTree.getChildren(node);
    const top = versions[0] as Extract<RegistryNode, { kind: 'version' }>;
    assert.equal(top.version, v2.version);
    assert.match(String(s.registryTree.getTreeItem(top).description), /@staging/);
    const aliases = await s.registryTree.getChildren(top);
    assert.deepEqual(aliases.map((a) => a.kind === 'alias' && a.alias), ['staging']);

    const rb = await vscode.commands.executeCommand<AliasChangeResult>('promptLedger.rollbackAlias', aliases[0], { note: 'regression in prod' });
    assert.equal(rb.ok, true);
    const store = await s.tracking.getStore();
    assert.equal((await store.getModelVersionByAlias('summarize', 'staging')).version, v1);
    const trail = await auditTrail(store, 'summarize');
    const last = trail[trail.length - 1];
    assert.equal(last.action, 'rollback');
    assert.equal(last.note, 'regression in prod');
    assert.ok(last.author.length > 0);
  });

  it('refuses production without a passing eval when governance requires it, and says why', async () => {
    await vscode.workspace.getConfiguration('promptLedger').update('governance.requireEvalForProduction', true, vscode.ConfigurationTarget.Workspace);
    const s = await services();
    const store = await s.tracking.getStore();
    const latest = (await listPromptVersions(store, 'summarize'))[0].version;
    const r = await vscode.commands.executeCommand<AliasChangeResult>('promptLedger.setAlias', undefined, { name: 'summarize', version: latest, alias: 'production', note: 'ship it' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /Governance: 'production' requires a passing eval run/);
  });
});

describe('Pull Prompt from Registry (workspace store)', () => {
  const pulled = wsUri('prompts', 'greeter.prompty');
  after(() => fs.rmSync(pulled.fsPath, { force: true }));

  it('writes a prompt made outside the editor as a new file whose CodeLens names its registry version, then says when it differs', async () => {
    const s = await services();
    const store = await s.tracking.getStore();
    // As MLflow's UI or Python would have made it: messages and a model config, no file behind it.
    await registerPrompt(store, 'greeter', { type: 'chat', messages: [{ role: 'system', content: 'Greet {{ name }} in {{lang}}.' }, { role: 'user', content: 'Hello!' }], modelConfig: { model_name: 'gpt-4o-mini', temperature: 0.3 } });
    const moved = await vscode.commands.executeCommand<AliasChangeResult>('promptLedger.setAlias', undefined, { name: 'greeter', version: '1', alias: 'staging', note: 'from the UI' });
    assert.equal(moved.ok, true);
    const r = await vscode.commands.executeCommand<{ file: string; change: string; version: string }>('promptLedger.pullPrompt', undefined, { name: 'greeter', alias: 'staging' });
    assert.equal(r.change, 'create');
    assert.equal(r.file, pulled.fsPath);
    const text = fs.readFileSync(pulled.fsPath, 'utf8');
    assert.match(text, /^system:\nGreet \{\{ name \}\} in \{\{lang\}\}\.$/m);
    const lensTitles = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', pulled)) ?? []).map((l) => l.command?.title ?? '');
    await waitFor(async () => (await lensTitles()).includes('staging = v1 (this file)'), 'the CodeLens naming staging = v1 (this file)');

    await replaceText(pulled, text.replace('Hello!', 'Hello there!'));
    await waitFor(async () => (await lensTitles()).includes('differs from staging (v1)'), 'the CodeLens saying the edited file differs');
    // Pulling again shows the diff and, confirmed, puts the registry's text back.
    const again = await vscode.commands.executeCommand<{ change: string }>('promptLedger.pullPrompt', undefined, { name: 'greeter', alias: 'staging', confirmUpdate: true });
    assert.equal(again.change, 'update');
    assert.equal(fs.readFileSync(pulled.fsPath, 'utf8'), text);
  });

  it('registers a committed version chosen from the file history, with that commit', async () => {
    const s = await services();
    const prompt = wsUri('prompts', 'summarize.prompty');
    const info = s.labels.get(prompt) ?? await s.labels.ensure(prompt);
    const commit = info?.label.commit;
    assert.ok(commit, 'the workspace prompt has a commit');
    const r = await vscode.commands.executeCommand<{ version: string }>('promptLedger.registerPromptFromHistory', prompt, { commit });
    const pv = await getPrompt(await s.tracking.getStore(), 'summarize', { version: r.version });
    assert.equal(pv.allTags.find((t) => t.key === 'promptledger.gitCommit')?.value, commit);
  });
});

/** Edits through VS Code and saves, so the open document and the file on disk agree. */
async function replaceText(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}
