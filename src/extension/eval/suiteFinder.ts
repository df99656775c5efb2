// Finds the eval suites in the workspace whose `prompt:` names a given prompt file.
import path from 'node:path';
import * as vscode from 'vscode';
import { loadSuite } from '../../core/eval/suiteLoader';

export const SUITE_GLOB = '**/*.eval.{yaml,yml}';

export async function findSuitesForPrompt(promptPath: string): Promise<string[]> {
  const files = await vscode.workspace.findFiles(SUITE_GLOB, '**/node_modules/**');
  const target = normalize(promptPath);
  const out: string[] = [];
  for (const f of files) {
    try {
      const suite = loadSuite(f.fsPath, { checkFiles: false });
      if (suite.promptPaths.some((p) => normalize(p) === target)) out.push(f.fsPath);
    } catch {
      // A broken suite shows in the Problems panel; it cannot be matched here.
    }
  }
  return out.sort();
}

function normalize(p: string): string {
  const r = path.resolve(p);
  return process.platform === 'win32' ? r.toLowerCase() : r;
}
