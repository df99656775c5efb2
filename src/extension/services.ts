// What every feature module of the extension receives: settings, the tracking store, prompt
// version labels, the output channel. Feature modules export command handler maps that
// commands.ts registers in one place, and `register…` functions for views and providers.
import type * as vscode from 'vscode';
import type { LabelService } from './prompts/labelService';
import type { RegistryTreeProvider } from './registry/registryTree';
import type { RunsNode, RunsTreeProvider } from './runs/runsTree';
import type { TrackingService } from './trackingService';
import type { EvalTesting } from './testing/testingFeature';

export interface Services {
  context: vscode.ExtensionContext;
  tracking: TrackingService;
  labels: LabelService;
  output: vscode.OutputChannel;
  /** Run ids chosen as the comparison baseline (set from the Runs view). */
  baseline: { runId?: string };
  /** Views the features create, for commands that refresh them and for tests. */
  runsTree?: RunsTreeProvider;
  runsView?: vscode.TreeView<RunsNode>;
  registryTree?: RegistryTreeProvider;
  /** The Test Explorer's eval controller and tree. */
  testing?: EvalTesting;
}

// Handlers receive whatever VS Code passes: tree items, URIs, or nothing from the palette.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;
export type CommandHandlers = Record<string, CommandHandler>;
