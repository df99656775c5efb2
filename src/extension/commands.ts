// Every command the extension contributes is registered here, in one place: each feature module
// returns a map of command id → handler, and a test checks the ids match package.json.
import * as vscode from 'vscode';
import { evalCommands } from './eval/evalFeature';
import { promptCommands } from './prompts/promptsFeature';
import { sweepCommands } from './eval/sweepFeature';
import { monitorCommands } from './monitor/monitorFeature';
import type { CommandHandlers, Services } from './services';
import { trackingCommands } from './trackingFeature';

/** `featureCommands`: the handler maps of features that return them with their disposables. */
export function registerCommands(services: Services, featureCommands: CommandHandlers[] = []): vscode.Disposable[] {
  const handlers: CommandHandlers = {};
  const groups = [promptCommands, evalCommands, sweepCommands, trackingCommands, monitorCommands].map((group) => group(services));
  for (const group of [...groups, ...featureCommands]) {
    for (const [id, handler] of Object.entries(group)) {
      if (handlers[id]) throw new Error(`command ${id} registered twice`);
      handlers[id] = handler;
    }
  }
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      // One place turns failures into a message the user can act on, and a log line.
      const message = err instanceof Error ? err.message : String(err);
      services.output.appendLine(`[${new Date().toISOString()}] ${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      void vscode.window.showErrorMessage(`Prompt Ledger: ${message}`);
      return undefined;
    }
  }));
}
