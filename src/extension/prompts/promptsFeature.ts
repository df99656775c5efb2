// Prompts as git-versioned artifacts in the editor: CodeLens, hover, status bar, Problems,
// the Prompts view and read-only documents for older versions.
import * as vscode from 'vscode';
import type { CommandHandlers, Services } from '../services';
import { PromptCodeLensProvider } from './codeLens';
import { promptCommands as commands } from './promptCommands';
import { registerPromptDiagnostics } from './promptDiagnostics';
import { PromptsTreeProvider } from './promptsTree';
import { createPromptStatusBar } from './statusBar';
import { VERSION_SCHEME, VersionContentProvider } from './versionDocuments';
import { PromptVersionHoverProvider } from './versionHover';
import { RegistryStatusService } from './registryStatusService';
import { PassRateService } from './passRateService';

// No language id is claimed (the Prompty extension owns `prompty`): select by file pattern.
const PROMPT_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.{prompty,md,txt}' }];

export function promptCommands(services: Services): CommandHandlers {
  return commands(services);
}

export function registerPromptsFeature(services: Services): vscode.Disposable[] {
  const { labels } = services;
  const registryStatus = new RegistryStatusService(services.tracking);
  const passRate = new PassRateService(services.tracking);
  const codeLens = new PromptCodeLensProvider(labels, registryStatus, passRate);
  const tree = new PromptsTreeProvider(labels);
  const treeView = vscode.window.createTreeView('promptLedger.prompts', { treeDataProvider: tree, showCollapseAll: true });
  const updateMessage = () => {
    treeView.message = labels.all().length ? undefined : 'No prompt files found. Prompt files are *.prompty and prompts/**/*.md|txt (setting promptLedger.promptGlobs).';
  };
  labels.onDidChange(updateMessage);
  return [
    registryStatus, passRate, codeLens, tree, treeView,
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, codeLens),
    vscode.languages.registerHoverProvider(PROMPT_SELECTOR, new PromptVersionHoverProvider(labels, registryStatus, passRate)),
    vscode.workspace.registerTextDocumentContentProvider(VERSION_SCHEME, new VersionContentProvider()),
    ...createPromptStatusBar(labels),
    ...registerPromptDiagnostics(labels),
  ];
}
