// Panels that survive "Reload Window", registered at activation without loading the panels bundle
// (src/extension/panels is a lazy group in esbuild.mjs: touching any of its exports loads it). The
// panel code is reached only inside the callbacks, when VS Code hands a panel back.
import * as vscode from 'vscode';
import type { TrackingStore } from '../core/tracking/types';
import { openComparePanel, restoredCompareRuns } from './panels/comparePanel';
import { COMPARE_VIEW_TYPE } from './panelViewTypes';

/**
 * VS Code hands back each panel of `viewType` with the state its webview saved; `restore` reads
 * what the host needs from it (undefined: nothing to show, the panel closes), and `reopen` fills
 * the panel again (relockPanel) and loads fresh data.
 */
export function registerPanelSerializer<T>(viewType: string, restore: (state: unknown) => T | undefined, reopen: (panel: vscode.WebviewPanel, restored: T) => unknown): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel, state) {
      const restored = restore(state);
      if (restored === undefined) { panel.dispose(); return; }
      await reopen(panel, restored);
    },
  });
}

/**
 * Compare panels: the webview saved the last comparison and the view settings, which it shows at
 * once; the host then loads the same runs again from the store and sends fresh data. A state
 * without runs closes the panel.
 */
export function registerCompareSerializer(context: vscode.ExtensionContext, getStore: () => Promise<TrackingStore>, log: (m: string) => void): vscode.Disposable {
  return registerPanelSerializer(COMPARE_VIEW_TYPE, (state) => restoredCompareRuns(state), async (panel, restored) => {
    openComparePanel(context, await getStore(), restored.runIds, {
      panel, baselineRunId: restored.baselineRunId, log,
      onOpenRun: (id) => void vscode.commands.executeCommand('promptLedger.openRunDetails', id),
    });
  });
}
