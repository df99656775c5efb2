// What every feature module of the extension receives: settings, the tracking store, prompt
// version labels, the output channel. A feature's `register…` function returns a Feature: what to
// dispose and its command handler map, which commands.ts registers in one place.
import type * as vscode from 'vscode';
import type { SuiteResult } from '../core/eval/runner';
import type { LoadedSuite } from '../core/eval/suiteLoader';
import type { LabelService } from './prompts/labelService';
import type { TrackingService } from './trackingService';

export interface Services {
  context: vscode.ExtensionContext;
  tracking: TrackingService;
  labels: LabelService;
  output: vscode.OutputChannel;
  /** Run ids chosen as the comparison baseline (set from the Runs view). */
  baseline: { runId?: string };
  /** Run ids selected in the Runs view, for commands run from the palette (empty before it exists). */
  selectedRunIds: () => string[];
  /** Told of every finished suite run (Test Explorer or Run Eval): per-case marks on the dataset lines. */
  suiteRunFinished?(suite: LoadedSuite, result: SuiteResult): void;
}

/** What a feature hands back to activation: disposables, and command id → handler. */
export interface Feature {
  disposables: vscode.Disposable[];
  commands: CommandHandlers;
}

// Handlers receive whatever VS Code passes: tree items, URIs, or nothing from the palette.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;
export type CommandHandlers = Record<string, CommandHandler>;
