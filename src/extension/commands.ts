// Every command the extension contributes is registered here, in one place.
import * as vscode from 'vscode';

export function registerCommands(context: vscode.ExtensionContext): void {
  void context;
}
