// What activate() returns: the services plus the views' providers, read by the extension-host
// tests only. Features keep their trees to themselves; nothing in the extension reads this.
import type * as vscode from 'vscode';
import type { RegistryTreeProvider } from './registry/registryTree';
import type { RunsNode, RunsTreeProvider } from './runs/runsTree';
import type { CaseDecorations } from './eval/caseDecorations';
import type { Services } from './services';
import type { EvalTesting } from './testing/testingFeature';

export interface ExtensionTestApi extends Services {
  runsTree: RunsTreeProvider;
  runsView: vscode.TreeView<RunsNode>;
  registryTree: RegistryTreeProvider;
  /** The Test Explorer's eval controller and tree. */
  testing: EvalTesting;
  /** Per-case ✓/✗ marks on dataset lines. */
  caseDecorations: CaseDecorations;
}
