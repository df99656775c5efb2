// Scores one output with every scorer that applies and combines them the way promptfoo does:
// score = Σ(score·weight)/Σweight over non-metric-only results; pass = nothing failed, unless
// the case sets a threshold, in which case pass = score ≥ threshold.
import type { ScoreContext, ScoreResult, Scorer } from './scorers/types';

export interface CaseScore {
  scores: ScoreResult[];
  score: number;
  pass: boolean;
}

export async function scoreOutput(scorers: readonly Scorer[], ctx: ScoreContext, caseThreshold?: number): Promise<CaseScore> {
  const scores: ScoreResult[] = [];
  for (const s of scorers) {
    try {
      scores.push(await s.score(ctx));
    } catch (err) {
      // A scorer that cannot run (bad per-case value, untrusted code…) fails this case, with why.
      scores.push({ name: s.name, score: 0, pass: false, reason: `scorer error: ${(err as Error)?.message ?? String(err)}`, source: 'CODE', weight: 1 });
    }
  }
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
