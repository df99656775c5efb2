// Placeholder until the tracking commands land (credentials, API keys, sync).
import type * as vscode from 'vscode';
import type { CommandHandlers, Services } from './services';

export function trackingCommands(_services: Services): CommandHandlers { return {}; }
export function registerTrackingFeature(_services: Services): vscode.Disposable[] { return []; }
