// Machine-readable results for `--output json`: per suite, per run, metrics, thresholds and rows.
import type { SuiteResult } from '../core/eval/runner';

export function jsonReport(results: readonly SuiteResult[], trackingLocation: string): string {
  return `${JSON.stringify({
    passed: results.every((r) => r.passed),
    tracking: trackingLocation,
    suites: results.map((s) => ({
      suite: s.suiteFile, experimentId: s.experimentId, experiment: s.experimentName, parentRunId: s.parentRunId ?? null,
      status: s.status, passed: s.passed, durationMs: s.durationMs, dataset: s.dataset,
      runs: s.runs.map((r) => ({
        runId: r.runId, runName: r.runName, model: r.model, prompt: r.promptPath, promptHash: r.promptHash, status: r.status,
        passed: r.passed, error: r.error ?? null, previousRunId: r.previousRunId ?? null, metrics: r.metrics, thresholds: r.thresholds,
        cases: r.rows.map((row) => ({
          id: row.caseId, repeat: row.repeat, pass: row.pass, score: row.score, output: row.output ?? null, error: row.error ?? null,
          latencyMs: row.latencyMs ?? null, scores: row.scores.map((x) => ({ name: x.name, score: x.score, pass: x.pass, reason: x.reason })),
        })),
      })),
    })),
  }, null, 2)}\n`;
}
