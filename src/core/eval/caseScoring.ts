// Scores one output with every scorer that applies and combines them the way promptfoo does:
// score = Σ(score·weight)/Σweight over non-metric-only results; pass = nothing failed, unless
// the case sets a threshold, in which case pass = score ≥ threshold.
import { isPromiseLike, type ScoreContext, type ScoreResult, type Scorer } from './scorers/types';

export interface CaseScore {
  scores: ScoreResult[];
  score: number;
  pass: boolean;
}

/**
 * The case's scores. Synchronous when every scorer is (the usual case): a run scores every case,
 * so no promise is made unless a scorer (the judge, a javascript module) needs one.
 */
export function scoreOutput(scorers: readonly Scorer[], ctx: ScoreContext, caseThreshold?: number): CaseScore | Promise<CaseScore> {
  const scores: ScoreResult[] = [];
  for (let k = 0; k < scorers.length; k++) {
    let res: ScoreResult | PromiseLike<ScoreResult>;
    try {
      res = scorers[k].score(ctx);
    } catch (err) {
      scores.push(scorerError(scorers[k], err));
      continue;
    }
    if (isPromiseLike(res)) return scoreRest(scorers, k, res, ctx, scores, caseThreshold);
    scores.push(res);
  }
  return caseScore(scores, caseThreshold);
}

/** From scorer `k` on, whose answer is `pending`: each awaited in turn. */
async function scoreRest(scorers: readonly Scorer[], k: number, pending: PromiseLike<ScoreResult>, ctx: ScoreContext, scores: ScoreResult[], caseThreshold?: number): Promise<CaseScore> {
  for (let i = k; i < scorers.length; i++) {
    try {
      scores.push(await (i === k ? pending : scorers[i].score(ctx)));
    } catch (err) {
      scores.push(scorerError(scorers[i], err));
    }
  }
  return caseScore(scores, caseThreshold);
}

/** A scorer that cannot run (bad per-case value, untrusted code…) fails this case, with why. */
function scorerError(s: Scorer, err: unknown): ScoreResult {
  return { name: s.name, score: 0, pass: false, reason: `scorer error: ${(err as Error)?.message ?? String(err)}`, source: 'CODE', weight: 1 };
}

function caseScore(scores: ScoreResult[], caseThreshold?: number): CaseScore {
  const { score, pass } = combineScores(scores, caseThreshold);
  return { scores, score, pass };
}

export function combineScores(scores: readonly ScoreResult[], caseThreshold?: number): { score: number; pass: boolean } {
  const counted = scores.filter((s) => !s.metricOnly);
  const totalWeight = counted.reduce((a, s) => a + s.weight, 0);
  const score = totalWeight > 0 ? counted.reduce((a, s) => a + s.score * s.weight, 0) / totalWeight : counted.length === 0 ? 1 : 0;
  const pass = caseThreshold !== undefined ? score >= caseThreshold : counted.every((s) => s.pass);
  return { score, pass };
}
