// Eval glue: the "Run Eval on This Prompt" command and the eval suite diagnostics.
import type * as vscode from 'vscode';
import type { CommandHandlers, Services } from '../services';
import { cancelRunningEvals, runEvalCommand } from './runEval';
import { SuiteDiagnostics } from './suiteDiagnostics';

export function evalCommands(services: Services): CommandHandlers {
  return {
    'promptLedger.runEval': (arg?: unknown) => runEvalCommand(services, arg),
    'promptLedger.cancelEval': () => cancelRunningEvals(),
  };
}

export function registerEvalFeature(_services: Services): vscode.Disposable[] {
  return [new SuiteDiagnostics()];
}
