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
import { registerRunsFeature } from './runs/runsFeature';
import { registerTestingFeature } from './testing/testingFeature';
import { registerCompareSerializer } from './panels/comparePanel';
import type { Services } from './services';
import { TrackingService } from './trackingService';
import { registerTrackingFeature } from './trackingFeature';

export function activate(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Prompt Ledger');
  const tracking = new TrackingService(context.secrets);
  const labels = new LabelService(output);
  const services: Services = { context, tracking, labels, output, baseline: {} };
  context.subscriptions.push(output, tracking, labels);
  // Before any git runs: core's git calls use the editor's git (git.path / the git extension's).
  context.subscriptions.push(...registerGitExecutable(() => labels.scheduleRefresh()));
  context.subscriptions.push(
    ...registerPromptsFeature(services),
    ...registerEvalFeature(services),
    ...registerRunsFeature(services),
    ...registerRegistryFeature(services),
    ...registerTrackingFeature(services),
    ...registerBlameFeature(services),
    ...registerCommands(services),
  );
  const testing = registerTestingFeature(services);
  services.testing = testing.testing;
  context.subscriptions.push(...testing.disposables);
  context.subscriptions.push(registerCompareSerializer(context, () => tracking.getStore(), (m) => output.appendLine(m)));
  // Label the workspace after activation returns, so activation itself stays fast.
  setTimeout(() => void labels.refreshAll(), 0);
  return services;
}

export function deactivate(): void {}
