// Activation: build the shared services, then let each feature register its views, providers
// and commands. Heavy work (git labelling, opening the store) starts lazily, after activation.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerBlameFeature } from './blame/blameFeature';
import { registerEvalFeature } from './eval/evalFeature';
import { registerGitExecutable } from './gitExecutable';
import { LabelService } from './prompts/labelService';
import { registerPromptsFeature } from './prompts/promptsFeature';
import { registerRegistryFeature } from './registry/registryFeature';
import { registerRunsFeature, selectedRunIds, type RunsFeature } from './runs/runsFeature';
import { registerTestingFeature } from './testing/testingFeature';
import { registerCompareSerializer } from './panelSerializers';
import { CaseDecorations } from './eval/caseDecorations';
import type { Services } from './services';
import type { ExtensionTestApi } from './testApi';
import { TrackingService } from './trackingService';
import { registerTrackingFeature } from './trackingFeature';

export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  const output = vscode.window.createOutputChannel('Prompt Ledger');
  const tracking = new TrackingService(context.secrets);
  const labels = new LabelService(output);
  let runs: RunsFeature | undefined;
  const services: Services = { context, tracking, labels, output, baseline: {}, selectedRunIds: () => (runs ? selectedRunIds(runs.view) : []) };
  const caseDecorations = new CaseDecorations(() => tracking.getStore());
  services.suiteRunFinished = (suite, result) => caseDecorations.record(suite, result);
  context.subscriptions.push(output, tracking, labels, caseDecorations);
  // Before any git runs: core's git calls use the editor's git (git.path / the git extension's).
  context.subscriptions.push(...registerGitExecutable(() => labels.scheduleRefresh()));
  runs = registerRunsFeature(services);
  const registry = registerRegistryFeature(services);
  const blame = registerBlameFeature(services);
  context.subscriptions.push(
    ...registerPromptsFeature(services),
    ...registerEvalFeature(services),
    ...runs.disposables,
    ...registry.disposables,
    ...registerTrackingFeature(services),
    ...blame.disposables,
    ...registerCommands(services, [runs.commands, registry.commands, blame.commands]),
  );
  const testing = registerTestingFeature(services);
  context.subscriptions.push(...testing.disposables);
  context.subscriptions.push(registerCompareSerializer(context, () => tracking.getStore(), (m) => output.appendLine(m)));
  // Label the workspace after activation returns, so activation itself stays fast.
  setTimeout(() => void labels.refreshAll(), 0);
  return { ...services, runsTree: runs.tree, runsView: runs.view, registryTree: registry.tree, testing: testing.testing, caseDecorations };
}

export function deactivate(): void {}
