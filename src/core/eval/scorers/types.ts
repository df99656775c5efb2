// What every scorer returns and receives. A result maps 1:1 onto an MLflow Feedback:
// name → name, score → value, reason → rationale, source → source.source_type.

import type { ModelProvider, ProviderConfig } from '../../providers/types';

export interface ScoreResult {
  /** Metric name; run metrics are logged as `<name>/mean`. */
  name: string;
  /** 0..1 (a latency/cost scorer without threshold reports the raw value and is metric-only). */
  score: number;
  pass: boolean;
  reason: string;
  source: 'CODE' | 'LLM_JUDGE';
  /** Weight in the case's combined score (default 1; 0 for metric-only). */
  weight: number;
  /** Metric-only scorers do not take part in the case's pass/fail (promptfoo semantics). */
  metricOnly?: boolean;
}

export interface ScoreContext {
  output: string;
  /** Case expectation (string, number or object), if any. */
  expected?: unknown;
  vars: Record<string, unknown>;
  latencyMs?: number;
  costUsd?: number;
  cached?: boolean;
  tokens?: { input: number; output: number };
  /** Folder of the suite file; relative paths in scorer options resolve against it. */
  baseDir: string;
  /** Code (javascript scorers) only runs when true. */
  trusted: boolean;
  /** Builds a provider for LLM-as-judge. */
  makeProvider?: (cfg: ProviderConfig) => ModelProvider;
  /** Default judge when a rubric scorer names no provider. */
  defaultJudge?: ProviderConfig;
  signal?: AbortSignal;
}

export interface Scorer {
  readonly name: string;
  score(ctx: ScoreContext): Promise<ScoreResult> | ScoreResult;
}

/** A scorer's answer that is still to come (Scorer.score and the checks may answer at once or later). */
export function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

export class ScorerConfigError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'ScorerConfigError';
  }
}

export class UntrustedWorkspaceError extends Error {
  constructor(what: string) {
    super(`${what} runs code from the workspace and is disabled because the workspace is not trusted. Trust the workspace (Workspaces: Manage Workspace Trust) to run it.`);
    this.name = 'UntrustedWorkspaceError';
  }
}
