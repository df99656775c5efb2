// One row of a run: a case × repeat sample, what the model said, and how it scored.
import type { ScoreResult } from './scorers/types';

export interface CaseRow {
  caseId: string;
  caseIndex: number;
  /** 0-based sample number (repeat). */
  repeat: number;
  vars: Record<string, unknown>;
  expected?: unknown;
  output?: string;
  scores: ScoreResult[];
  /** Weighted case score 0..1 (0 on error). */
  score: number;
  pass: boolean;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  cached?: boolean;
  /** Set when the case could not produce an output (render error, provider error). */
  error?: { kind: string; message: string };
}
