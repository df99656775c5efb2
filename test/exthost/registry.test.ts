import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { auditTrail, listPromptVersions } from '../../src/core/registry/promptRegistry';
import type { AliasChangeResult } from '../../src/core/registry/promptRegistry';
import type { RegistryNode } from '../../src/extension/registry/registryTree';
import { services, wsUri } from './evalHelpers';
import { getPrompt } from '../../src/core/registry/promptStore';

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
    const again = await vscode.commands.executeCommand<{ version: string; reused: boolean }>('promptLedger.registerPromptVersion', prompt, 'again');
    assert.deepEqual(again, { name: 'summarize', version: r1.version, reused: true });
    const store = await s.tracking.getStore();
    const pv = await getPrompt(store, 'summarize', { version: r1.version });
    assert.equal(pv.template, original);
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

/** Edits through VS Code and saves, so the open document and the file on disk agree. */
async function replaceText(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}
