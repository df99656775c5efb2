// Finished case rows as the runner produces them, for the trace tests: two cases × two repeats
// (scored by a CODE and an LLM_JUDGE scorer, one with an expected value) and one provider error.
import type { CaseTraceInput, CaseTraceRun } from '../../../src/core/tracking/traces/caseTraceInput';

export const SCORERS = { code: 'contains', judge: 'helpfulness' } as const;

export function caseInputs(base = Date.now() - 60_000): CaseTraceInput[] {
  const out: CaseTraceInput[] = [];
  for (const [i, name] of ['Ada', 'Grace'].entries()) {
    for (const repeat of [0, 1]) {
      const startTime = base + (i * 2 + repeat) * 1000;
      out.push({
        row: {
          caseId: `case-${i + 1}`, caseIndex: i, repeat, vars: { name, style: 'short' }, expected: `Hello ${name}`,
          output: repeat === 0 ? `Hello ${name}` : `Hi ${name}!`,
          scores: [
            { name: SCORERS.code, score: repeat === 0 ? 1 : 0, pass: repeat === 0, reason: repeat === 0 ? `output contains "Hello ${name}"` : `"Hello ${name}" not found`, source: 'CODE', weight: 1 },
            { name: SCORERS.judge, score: 0.8, pass: true, reason: 'Greets the person by name.', source: 'LLM_JUDGE', weight: 1 },
          ],
          score: repeat === 0 ? 0.9 : 0.4, pass: repeat === 0, latencyMs: 120 + repeat, inputTokens: 12, outputTokens: 4, costUsd: 0.0002, cached: repeat === 0,
        },
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Greet ${name}` }],
        startTime, endTime: startTime + 150,
      });
    }
  }
  out.push({
    row: { caseId: 'case-3', caseIndex: 2, repeat: 0, vars: { name: 'Linus', style: 'short' }, scores: [], score: 0, pass: false, error: { kind: 'rate_limit', message: '429 Too Many Requests' } },
    messages: [{ role: 'user', content: 'Greet Linus' }],
    startTime: base + 5000, endTime: base + 5100,
  });
  return out;
}

export function runContext(experimentId: string, runId: string, linkedPrompt?: { name: string; version: string }): CaseTraceRun {
  return {
    experimentId, runId, promptName: 'greet', promptPath: 'prompts/greet.prompty', modelLabel: 'openai:gpt-4o-mini', provider: 'openai', modelName: 'gpt-4o-mini',
    params: { temperature: 0.2, max_tokens: 64 }, linkedPrompt, user: 'tester', sourceName: 'prompts/greet.eval.yaml',
  };
}
