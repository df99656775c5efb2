// Shared by the extension-host tests (bundled into each test file).
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension/testApi';

export const WS = process.env.PL_TEST_WORKSPACE!;
export const wsUri = (...parts: string[]) => vscode.Uri.file(path.join(WS, ...parts));

/** What activate() returns: the services and, for tests only, the views' providers. */
export type TestServices = ExtensionTestApi;

export async function services(): Promise<TestServices> {
  const ext = vscode.extensions.getExtension<TestServices>('prompt-ledger.prompt-ledger')!;
  return ext.activate();
}

export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
