// LLM-as-judge with a rubric, promptfoo's llm-rubric semantics: the judge answers with JSON
// {pass, score, reason}; the first JSON object in the reply counts; missing pass = true;
// missing score = pass as 1/0; a threshold also requires score ≥ threshold.
import type { ModelProvider, ProviderConfig } from '../../providers/types';
import type { ScoreContext } from './types';
import { ScorerConfigError } from './types';
import type { CheckOutcome } from './textScorers';
import { firstJsonObject } from './jsonScorers';
import { interpolate } from './interpolate';

export const DEFAULT_RUBRIC_SYSTEM = `You are grading output according to a user-specified rubric. If the statement in the rubric is true, then the output passes the test. You respond with a JSON object with this structure: {"reason": string, "pass": boolean, "score": number}. The score is between 0.0 and 1.0.

Examples:

<Output>Hello world</Output>
<Rubric>Content contains a greeting</Rubric>
{"reason": "the content contains the word 'Hello'", "pass": true, "score": 1.0}

<Output>Avast ye swabs, repel the invaders!</Output>
<Rubric>Does not speak like a pirate</Rubric>
{"reason": "'avast ye' is a common pirate term", "pass": false, "score": 0.0}`;

export function parseJudgeReply(reply: string, threshold: number | undefined): CheckOutcome {
  const obj = firstJsonObject(reply);
  if (!obj) return { pass: false, score: 0, reason: `judge reply contains no JSON object: ${reply.slice(0, 200)}` };
  const pass0 = typeof obj.pass === 'boolean' ? obj.pass : obj.pass === undefined ? true : String(obj.pass).toLowerCase() === 'true';
  const rawScore = typeof obj.score === 'number' ? obj.score : typeof obj.score === 'string' && obj.score.trim() !== '' && Number.isFinite(Number(obj.score)) ? Number(obj.score) : undefined;
  const score = rawScore ?? (pass0 ? 1 : 0);
  const pass = pass0 && (threshold === undefined || score >= threshold);
  const reason = typeof obj.reason === 'string' ? obj.reason : pass ? 'judge passed the output' : 'judge failed the output';
  return { pass, score: Math.max(0, Math.min(1, score)), reason };
}

export async function runJudge(
  ctx: ScoreContext,
  opts: { rubric: string; rubricPrompt?: string; judge?: ProviderConfig; threshold?: number },
  cache: { provider?: ModelProvider },
): Promise<CheckOutcome> {
  const cfg = opts.judge ?? ctx.defaultJudge;
  if (!cfg) throw new ScorerConfigError('llm-rubric needs a judge model', 'set `provider:` on the scorer or `judge:` on the suite');
  if (!ctx.makeProvider) throw new ScorerConfigError('llm-rubric: no provider factory available');
  cache.provider ??= ctx.makeProvider(cfg);
  // Variables first, so braces inside the model's output are never interpreted.
  const fill = (t: string) => interpolate(t, ctx.vars, ctx.expected).replace(/\{\{\s*output\s*\}\}/g, () => ctx.output).replace(/\{\{\s*rubric\s*\}\}/g, () => opts.rubric);
  const messages = opts.rubricPrompt
    ? [{ role: 'user' as const, content: fill(opts.rubricPrompt) }]
    : [
      { role: 'system' as const, content: DEFAULT_RUBRIC_SYSTEM },
      { role: 'user' as const, content: `<Output>${ctx.output}</Output>\n<Rubric>${opts.rubric}</Rubric>` },
    ];
  const renderedText = messages.map((m) => m.content).join('\n\n');
  try {
    const res = await cache.provider.complete({ messages, params: { temperature: 0 }, renderedText }, ctx.signal ?? new AbortController().signal);
    return parseJudgeReply(res.text, opts.threshold);
  } catch (err) {
    return { pass: false, score: 0, reason: `judge call failed: ${(err as Error)?.message ?? String(err)}` };
  }
}
