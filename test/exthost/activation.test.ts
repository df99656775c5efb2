import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'prompt-ledger.prompt-ledger';

describe('extension in a real VS Code', () => {
  it('is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension not found');
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('registers every command it contributes, and contributes every command it registers', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    // View containers add their own focus/open/… commands; only ours are compared.
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('promptLedger.') && !/^promptLedger\.(prompts|runs|registry|compare|registryPanel)\./.test(c));
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });
});
