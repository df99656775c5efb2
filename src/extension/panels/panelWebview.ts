// VS Code glue shared by the panels: creates a webview panel locked to our bundle and media
// folders, with the nonce CSP shell, and opens links only after the link policy allows them.
import * as vscode from 'vscode';
import { checkLink } from './linkPolicy';
import { makeNonce, webviewHtml } from './webviewHtml';

function lockedOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

export function createLockedPanel(context: vscode.ExtensionContext, viewType: string, title: string, bundle: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
    ...lockedOptions(context),
    // State survives hiding through setState/getState, not a retained (memory-hungry) context.
    retainContextWhenHidden: false,
  });
  setPanelHtml(panel, context, bundle, title);
  return panel;
}

/** A panel VS Code restored after a reload (WebviewPanelSerializer): the same lock and shell as a new one. */
export function relockPanel(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, bundle: string, title: string): vscode.WebviewPanel {
  panel.webview.options = lockedOptions(context);
  panel.title = title;
  setPanelHtml(panel, context, bundle, title);
  return panel;
}

export function setPanelHtml(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, bundle: string, title: string): void {
  const w = panel.webview;
  w.html = webviewHtml({
    title,
    cspSource: w.cspSource,
    nonce: makeNonce(),
    scriptUri: w.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', `${bundle}.js`)).toString(),
    styleUri: w.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panels.css')).toString(),
  });
}

export function openLinkSafely(url: string, serverUrl: string | null | undefined, log: (m: string) => void): void {
  const decision = checkLink(url, serverUrl);
  if (!decision.ok) {
    log(`Refused to open link: ${decision.reason}`);
    void vscode.window.showWarningMessage(`Prompt Ledger: ${decision.reason}`);
    return;
  }
  void vscode.env.openExternal(vscode.Uri.parse(decision.url, true));
}

/** The tracking URI as a server URL, or null for the embedded store. */
export function serverUrlOf(location: string, kind: 'mlflow' | 'embedded'): string | null {
  return kind === 'mlflow' && /^https?:\/\//i.test(location) ? location : null;
}
