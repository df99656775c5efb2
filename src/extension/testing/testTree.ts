// The Test Explorer tree: eval suites at the top, their cases below, resolved lazily (a suite's
// dataset is read only when it is expanded or run). Each case item carries its id and the dataset
// line it is defined on, so "Go to Test" and failure messages land on that line.
import path from 'node:path';
import * as vscode from 'vscode';
import { loadSuite } from '../../core/eval/suiteLoader';
import { suiteTestCases } from '../../core/eval/testCases';
import { SUITE_GLOB } from '../eval/suiteFinder';

export interface CaseRef { suiteFile: string; caseId: string }

const CASE_SEP = '#case:';
const LINE_END = 10_000;

export function caseItemId(suiteFile: string, caseId: string): string { return `${suiteFile}${CASE_SEP}${caseId}`; }

/** The suite file and case id of an item (a suite item has no case id). */
export function refOf(item: vscode.TestItem): { suiteFile: string; caseId?: string } {
  const at = item.id.indexOf(CASE_SEP);
  return at < 0 ? { suiteFile: item.id } : { suiteFile: item.id.slice(0, at), caseId: item.id.slice(at + CASE_SEP.length) };
}

export class EvalTestTree {
  constructor(private readonly controller: vscode.TestController) {}

  /** Top level: one item per *.eval.yaml in the workspace, children unresolved. */
  async discoverSuites(): Promise<void> {
    const files = await vscode.workspace.findFiles(SUITE_GLOB, '**/node_modules/**');
    const items = files.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((f) => this.suiteItem(f));
    this.controller.items.replace(items);
  }

  suiteItem(uri: vscode.Uri): vscode.TestItem {
    const existing = this.controller.items.get(uri.fsPath);
    if (existing) return existing;
    const item = this.controller.createTestItem(uri.fsPath, path.basename(uri.fsPath).replace(/\.eval\.ya?ml$/i, ''), uri);
    item.description = vscode.workspace.asRelativePath(uri, false);
    item.canResolveChildren = true;
    return item;
  }

  /** Reads the suite and its dataset into case items; a broken suite shows its error on the item. */
  resolveSuite(item: vscode.TestItem): void {
    const { suiteFile } = refOf(item);
    try {
      const suite = loadSuite(suiteFile);
      const cases = suiteTestCases(suite);
      item.error = undefined;
      item.children.replace(cases.map((c) => {
        const child = this.controller.createTestItem(caseItemId(suiteFile, c.id), c.label, vscode.Uri.file(c.file));
        // The whole line, so "Run Test at Cursor" anywhere on it finds the case.
        child.range = new vscode.Range(c.line - 1, 0, c.line - 1, LINE_END);
        child.description = c.description;
        return child;
      }));
    } catch (e) {
      item.children.replace([]);
      item.error = new vscode.MarkdownString().appendText((e as Error).message);
    }
    item.canResolveChildren = false;
  }

  /** A suite or dataset file opened in an editor: its cases are resolved, so the editor's test commands find them. */
  async documentOpened(file: string, isSuiteFile: (f: string) => boolean, suitesOf: (f: string) => string[]): Promise<void> {
    if (isSuiteFile(file) && !this.controller.items.get(file)) this.controller.items.add(this.suiteItem(vscode.Uri.file(file)));
    for (const s of isSuiteFile(file) ? [file] : suitesOf(file)) {
      const item = this.controller.items.get(s);
      if (item?.canResolveChildren) this.resolveSuite(item);
    }
  }

  /** Re-reads a suite whose file or dataset changed (only when it was expanded before). */
  refreshSuite(suiteFile: string): void {
    const item = this.controller.items.get(suiteFile);
    if (item && !item.canResolveChildren) this.resolveSuite(item);
  }

  /** The suites whose items exist, with their resolved children. */
  suites(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => out.push(i));
    return out;
  }
}
