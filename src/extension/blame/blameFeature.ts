// Prompt blame's place in the extension: the controller (decorations, hover) and its commands.
// The toggle command answers with what is shown, so tests and other commands can read it.
import * as vscode from 'vscode';
import type { CommandHandlers, Feature, Services } from '../services';
import { PromptBlameController } from './blameController';
import { EVALUATE_MISSING_COMMAND } from './blameHover';

/** What Toggle Prompt Blame answers: whether blame is on, and each line's after-line text. */
export interface BlameView { on: boolean; decorations: Array<{ line: number; text: string }>; missing: number }

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerBlameFeature(services: Services): Feature {
  const blame = new PromptBlameController(services);
  const commands: CommandHandlers = {
    'promptLedger.togglePromptBlame': async (arg?: unknown): Promise<BlameView> => {
      const uri = targetUri(arg);
      if (!uri || !services.labels.isPrompt(uri)) throw new Error('Open a prompt file to toggle its blame.');
      const on = await blame.toggle(uri);
      const decorations = blame.decorationsOf(uri).map((d) => ({ line: d.range.start.line + 1, text: d.renderOptions?.after?.contentText ?? '' }));
      return { on, decorations, missing: blame.blameOf(uri)?.missing.length ?? 0 };
    },
    [EVALUATE_MISSING_COMMAND]: async (arg?: unknown): Promise<number> => {
      const uri = targetUri(arg);
      if (!uri) throw new Error('Open a prompt file to evaluate its missing versions.');
      return blame.evaluateMissing(uri);
    },
  };
  return { disposables: [blame, vscode.languages.registerHoverProvider({ scheme: 'file' }, blame)], commands };
}
