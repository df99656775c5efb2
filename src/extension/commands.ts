// Every command the extension contributes is registered here, in one place: each feature module
// returns a map of command id → handler, and a test checks the ids match package.json.
import * as vscode from 'vscode';
import { evalCommands } from './eval/evalFeature';
import { promptCommands } from './prompts/promptsFeature';
import { registryCommands } from './registry/registryFeature';
import { runsCommands } from './runs/runsFeature';
import { sweepCommands } from './eval/sweepFeature';
import { monitorCommands } from './monitor/monitorFeature';
import { blameCommands } from './blame/blameFeature';
import type { CommandHandlers, Services } from './services';
import { trackingCommands } from './trackingFeature';

export function registerCommands(services: Services): vscode.Disposable[] {
  const handlers: CommandHandlers = {};
  for (const group of [promptCommands, evalCommands, sweepCommands, runsCommands, registryCommands, trackingCommands, monitorCommands, blameCommands]) {
    for (const [id, handler] of Object.entries(group(services))) {
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
