import { strict as assert } from 'node:assert';
import { compareByDirection, metricDirection } from '../../../src/core/compare/metricDirection';

describe('metricDirection', () => {
  const cases: [string, string][] = [
    ['pass_rate', 'higher'], ['exact_match/mean', 'higher'], ['correctness/mean', 'higher'], ['safety/mean', 'higher'],
    ['relevance_to_query/median', 'higher'], ['cache_hit_rate', 'higher'], ['accuracy', 'higher'], ['rouge_score', 'higher'],
    ['latency_ms/p50', 'lower'], ['latency_ms/p95', 'lower'], ['cost_usd/total', 'lower'], ['tokens/input', 'lower'],
    ['tokens/output', 'lower'], ['tokens_total', 'lower'], ['error_count', 'lower'], ['errors', 'lower'],
    ['pii_violations', 'lower'], ['safety_violation_count', 'lower'], ['pii_violations/mean', 'lower'],
    ['num_cases', 'neutral'], ['temperature', 'neutral'],
  ];
  for (const [name, dir] of cases) it(`${name} → ${dir}`, () => assert.equal(metricDirection(name), dir));

  it('compares by direction', () => {
    assert.equal(compareByDirection('higher', 0.9, 0.8), -1);
    assert.equal(compareByDirection('lower', 0.9, 0.8), 1);
    assert.equal(compareByDirection('neutral', 1, 2), 0);
    assert.equal(compareByDirection('lower', 3, 3), 0);
  });
});
