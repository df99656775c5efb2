// Typed access to the promptLedger.* settings (the only place that knows their names).
import * as vscode from 'vscode';
import { DEFAULT_PROMPT_GLOBS } from '../core/prompts/promptGlobs';
import { parseApprovalsSetting } from '../core/registry/governanceSettings';

export interface PromptLedgerConfig {
  promptGlobs: string[];
  trackingUri: string;
  requireEvalForProduction: boolean;
  /** Alias → approvals by other users (promptLedger.governance.approvals), validated. */
  approvals: Record<string, number>;
  evalConcurrency: number;
  /** Ask before an eval estimated to cost more than this (USD). */
  confirmCostAboveUsd: number;
  prices: Record<string, unknown>;
  codeLensEnabled: boolean;
  runsPageSize: number;
}

export function readConfig(scope?: vscode.ConfigurationScope): PromptLedgerConfig {
  const c = vscode.workspace.getConfiguration('promptLedger', scope);
  return {
    promptGlobs: c.get<string[]>('promptGlobs') ?? [...DEFAULT_PROMPT_GLOBS],
    trackingUri: (c.get<string>('trackingUri') ?? '').trim(),
    requireEvalForProduction: c.get<boolean>('governance.requireEvalForProduction') ?? false,
    approvals: parseApprovalsSetting(c.get<unknown>('governance.approvals'), 'settings'),
    evalConcurrency: c.get<number>('eval.concurrency') ?? 8,
    confirmCostAboveUsd: c.get<number>('eval.confirmCostAboveUsd') ?? 1,
    prices: c.get<Record<string, unknown>>('prices') ?? {},
    codeLensEnabled: c.get<boolean>('codeLens.enabled') ?? true,
    runsPageSize: c.get<number>('runs.pageSize') ?? 50,
  };
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
