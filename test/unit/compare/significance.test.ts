// The significance intervals against a reference computation: SciPy's own bootstrap and binomial
// test, and a NumPy two-stage bootstrap for repeats, run in the test venv's Python.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compareSignificance, mcnemarExact, pairedBootstrap } from '../../../src/core/compare/significance';
import { sortedPercentile } from '../../../src/core/eval/stats';
import type { EvalCase } from '../../../src/core/compare/evalTable';
import { venvPython } from '../../setup/versions.mjs';

function python(script: string, input: unknown): any {
  return JSON.parse(execFileSync(venvPython(), ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Deterministic pseudo-data (not the bootstrap's generator). */
function lcg(seed: number) { let s = seed >>> 0; return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32); }

function rows(passes: number[][], scores?: number[][]): EvalCase[] {
  return passes.flatMap((reps, i) => reps.map((p, r): EvalCase => ({
    key: `id:c${i}${r ? `#${r}` : ''}`, caseId: `c${i}`, inputs: {}, output: '', pass: p === 1,
    scores: (scores ? { quality: scores[i][r] } : {}) as EvalCase['scores'],
  })));
}

describe('significance: paired differences with 95 % intervals', () => {
  it('pass/fail without repeats: bootstrap interval matches scipy.stats.bootstrap (percentile), McNemar matches scipy.stats.binomtest', () => {
    const rnd = lcg(7);
    const n = 300;
    const base = Array.from({ length: n }, () => (rnd() < 0.7 ? 1 : 0));
    const cand = base.map((b) => (rnd() < 0.12 ? 1 - b : b === 0 && rnd() < 0.15 ? 1 : b));
    const sig = compareSignificance(rows(base.map((x) => [x])), rows(cand.map((x) => [x])), 1);
    const row = sig.rows.find((r) => r.metric === 'pass_rate')!;
    const ref = python(`
import sys, json, numpy as np
from scipy import stats
d = json.load(sys.stdin)
a, b = np.array(d['a'], float), np.array(d['b'], float)
res = stats.bootstrap((b - a,), np.mean, n_resamples=20000, method='percentile', confidence_level=0.95, random_state=1)
only_a = int(((a == 1) & (b == 0)).sum()); only_b = int(((a == 0) & (b == 1)).sum())
p = stats.binomtest(min(only_a, only_b), only_a + only_b, 0.5).pvalue
print(json.dumps({'delta': float((b - a).mean()), 'low': float(res.confidence_interval.low), 'high': float(res.confidence_interval.high), 'p': float(p)}))
`, { a: base, b: cand });
    assert.equal(sig.pairedCases, n);
    assert.ok(Math.abs(row.delta - ref.delta) < 1e-12, `delta ${row.delta} vs ${ref.delta}`);
    assert.ok(Math.abs(row.low - ref.low) < 0.01, `low ${row.low} vs scipy ${ref.low}`);
    assert.ok(Math.abs(row.high - ref.high) < 0.01, `high ${row.high} vs scipy ${ref.high}`);
    assert.ok(Math.abs(row.mcnemarP! - ref.p) < 1e-9, `McNemar ${row.mcnemarP} vs ${ref.p}`);
  });

  it('with repeats, the two-stage bootstrap matches a NumPy reference, and is wider than ignoring the per-case variance', () => {
    const rnd = lcg(11);
    const n = 120;
    const reps = 5;
    const difficulty = Array.from({ length: n }, () => rnd());
    const sample = (shift: number) => difficulty.map((d) => Array.from({ length: reps }, () => Math.min(1, Math.max(0, d + shift + (rnd() - 0.5) * 0.6))));
    const qa = sample(0);
    const qb = sample(0.03);
    const pairs = qa.map((a, i): [number[], number[]] => [a, qb[i]]);
    const ours = pairedBootstrap(pairs);
    const ref = python(`
import sys, json, numpy as np
d = json.load(sys.stdin)
a, b = np.array(d['a']), np.array(d['b'])
n, r = a.shape
rng = np.random.default_rng(3)
B = 20000
idx = rng.integers(0, n, size=(B, n))
ia = rng.integers(0, r, size=(B, n, r)); ib = rng.integers(0, r, size=(B, n, r))
ma = np.take_along_axis(a[idx], ia, axis=2).mean(axis=2)
mb = np.take_along_axis(b[idx], ib, axis=2).mean(axis=2)
stats = (mb - ma).mean(axis=1)
case_only = (b.mean(1) - a.mean(1))[idx].mean(axis=1)
print(json.dumps({'delta': float((b.mean(1) - a.mean(1)).mean()), 'low': float(np.percentile(stats, 2.5)), 'high': float(np.percentile(stats, 97.5)),
  'width_case_only': float(np.percentile(case_only, 97.5) - np.percentile(case_only, 2.5))}))
`, { a: qa, b: qb });
    assert.ok(Math.abs(ours.delta - ref.delta) < 1e-12);
    assert.ok(Math.abs(ours.low - ref.low) < 0.006, `low ${ours.low} vs numpy ${ref.low}`);
    assert.ok(Math.abs(ours.high - ref.high) < 0.006, `high ${ours.high} vs numpy ${ref.high}`);
    assert.ok(ours.high - ours.low > ref.width_case_only * 1.05, 'the repeats\' variance widens the interval');
  });

  it('marks an interval that includes 0 "within noise", a clear drop "worse", and is the same on every call', () => {
    const same = rows(Array.from({ length: 40 }, (_, i) => [i % 3 ? 1 : 0]));
    const flipped = rows(Array.from({ length: 40 }, (_, i) => [i % 3 ? (i === 4 ? 0 : 1) : i === 3 ? 1 : 0]));
    const noise = compareSignificance(same, flipped, 1).rows[0];
    assert.equal(noise.verdict, 'within noise');
    assert.ok(noise.low < 0 && noise.high > 0);
    const worse = compareSignificance(rows(Array.from({ length: 40 }, () => [1])), rows(Array.from({ length: 40 }, (_, i) => [i < 15 ? 0 : 1])), 1).rows[0];
    assert.equal(worse.verdict, 'worse');
    assert.ok(worse.high < 0);
    assert.deepEqual(compareSignificance(same, flipped, 1), compareSignificance(same, flipped, 1));
    const identical = compareSignificance(same, same, 1).rows[0];
    assert.deepEqual([identical.delta, identical.low, identical.high, identical.verdict], [0, 0, 0, 'within noise']);
  });

  it('pairs cases by id: cases only one run has are counted, not compared; scorer means get their own rows', () => {
    const a = rows([[1], [0], [1]], [[0.9], [0.2], [0.8]]);
    const b = rows([[1], [1]], [[0.95], [0.6]]).concat([{ key: 'id:extra', caseId: 'extra', inputs: {}, output: '', pass: true, scores: {} }]);
    const s = compareSignificance(a, b, 1);
    assert.deepEqual([s.pairedCases, s.unpairedCases], [2, 2]);
    assert.deepEqual(s.rows.map((r) => r.metric), ['pass_rate', 'quality/mean']);
    assert.ok(Math.abs(s.rows[1].delta - ((0.95 - 0.9) + (0.6 - 0.2)) / 2) < 1e-12);
  });

  it('helpers: numpy-style percentile, McNemar edge cases', () => {
    assert.equal(sortedPercentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(mcnemarExact(0, 0), 1);
    assert.ok(Math.abs(mcnemarExact(0, 10) - 2 / 1024) < 1e-15);
  });
});
