// Eval glue: the "Run Eval on This Prompt" command, the eval suite diagnostics and CodeLens.
import * as vscode from 'vscode';
import type { CommandHandlers, Services } from '../services';
import { cancelRunningEvals, runEvalCommand } from './runEval';
import { SuiteDiagnostics } from './suiteDiagnostics';
import { SuiteCodeLensProvider, SUITE_SELECTOR } from './suiteCodeLens';

export function evalCommands(services: Services): CommandHandlers {
  return {
    'promptLedger.runEval': (arg?: unknown) => runEvalCommand(services, arg),
    'promptLedger.cancelEval': () => cancelRunningEvals(),
  };
}

export function registerEvalFeature(_services: Services): vscode.Disposable[] {
  const diagnostics = new SuiteDiagnostics();
  const codeLens = new SuiteCodeLensProvider(diagnostics);
  return [diagnostics, codeLens, vscode.languages.registerCodeLensProvider(SUITE_SELECTOR, codeLens)];
}
