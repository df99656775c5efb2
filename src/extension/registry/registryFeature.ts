// Placeholder until the Registry view lands.
import type * as vscode from 'vscode';
import type { CommandHandlers, Services } from '../services';

export function registryCommands(_services: Services): CommandHandlers { return {}; }
export function registerRegistryFeature(_services: Services): vscode.Disposable[] { return []; }
