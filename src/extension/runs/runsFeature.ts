// Placeholder until the Runs view lands.
import type * as vscode from 'vscode';
import type { CommandHandlers, Services } from '../services';

export function runsCommands(_services: Services): CommandHandlers { return {}; }
export function registerRunsFeature(_services: Services): vscode.Disposable[] { return []; }
