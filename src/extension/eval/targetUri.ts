// Which file a command acts on: the URI VS Code passed (CodeLens, explorer/editor menus), else the
// active editor's document. Commands run from the palette get nothing and use the editor.
import * as vscode from 'vscode';

export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.file(arg);
  const maybe = arg as { resourceUri?: unknown; uri?: unknown } | undefined;
  if (maybe?.resourceUri instanceof vscode.Uri) return maybe.resourceUri;
  if (maybe?.uri instanceof vscode.Uri) return maybe.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

export function isSuitePath(fsPath: string): boolean {
  return /\.eval\.ya?ml$/i.test(fsPath);
}
