// The sweep's pure parts: search space, proposers, objective and constraints, Pareto front, the
// best configuration as YAML.
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { buildSearchSpace, gridAssignments, gridSize, SweepConfigError } from '../../../src/core/eval/sweep/searchSpace';
import { createProposer } from '../../../src/core/eval/sweep/trialProposer';
import { bestIndex, constraintsOf, objectiveOf, paretoFront, scoreTrial } from '../../../src/core/eval/sweep/objective';
import { sweepSchema } from '../../../src/core/eval/sweep/sweepSchema';
import { trialModel } from '../../../src/core/eval/sweep/trialSuite';
import type { ModelSpec } from '../../../src/core/eval/suiteSchema';

const openai: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini', params: { max_tokens: 50 } };
const command: ModelSpec = { provider: 'command', command: 'python', args: ['rag.py'] };

describe('sweep search space', () => {
  it('stepped ranges become exact values; grids vary the last parameter fastest', () => {
    const dims = buildSearchSpace({ temperature: { min: 0, max: 0.3, step: 0.1 }, model: ['a', 'b'] }, openai);
    assert.deepEqual(dims[0].values, [0, 0.1, 0.2, 0.3]);
    assert.equal(gridSize(dims), 8);
    assert.deepEqual([...gridAssignments(dims)].slice(0, 3), [{ temperature: 0, model: 'a' }, { temperature: 0, model: 'b' }, { temperature: 0.1, model: 'a' }]);
  });

  it('command parameters go to the environment (upper-cased name) or to arguments; model parameters into the model entry', () => {
    const dims = buildSearchSpace({ k: [1, 2], reranker: { values: ['x'], arg: '--reranker' }, depth: { values: [3], env: 'RAG_DEPTH' } }, command);
    assert.deepEqual(dims.map((d) => d.target), [{ kind: 'env', name: 'K' }, { kind: 'arg', flag: '--reranker' }, { kind: 'env', name: 'RAG_DEPTH' }]);
    const m = trialModel(command, dims, { k: 2, reranker: 'x', depth: 3 }) as Extract<ModelSpec, { provider: 'command' }>;
    assert.deepEqual(m.env, { K: '2', RAG_DEPTH: '3' });
    assert.deepEqual(m.args, ['rag.py', '--reranker', 'x']);
    const o = trialModel(openai, buildSearchSpace({ temperature: [0.5], model: ['gpt-4o'] }, openai), { temperature: 0.5, model: 'gpt-4o' }) as Extract<ModelSpec, { provider: 'openai' }>;
    assert.equal(o.model, 'gpt-4o');
    assert.deepEqual(o.params, { max_tokens: 50, temperature: 0.5 }, 'the suite\'s other params stay');
  });

  it('refuses parameters the model does not take, with the fix', () => {
    assert.throws(() => buildSearchSpace({ k: [1] }, openai), (e: unknown) => e instanceof SweepConfigError && /not a model parameter/.test(e.message) && e.path.join('.') === 'sweep.parameters.k');
    assert.throws(() => buildSearchSpace({ temperature: { values: [1], env: 'T' } }, openai), /only apply to a command provider/);
    assert.throws(() => buildSearchSpace({ temperature: { min: 1, max: 0 } }, openai), /max \(0\) must be above min/);
  });
});

describe('sweep proposers', () => {
  const dims = buildSearchSpace({ temperature: { min: 0, max: 2, step: 0.1 }, top_p: { min: 0.1, max: 1, step: 0.1 } }, openai);
  it('random: the same seed draws the same distinct trials, another seed others', () => {
    const draw = (seed: number) => createProposer(dims, { method: 'random', trials: 15, seed, direction: 'maximize' }).next(100, []);
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    assert.equal(new Set(draw(7).map((a) => JSON.stringify(a))).size, 15);
  });
  it('random on a small discrete space runs each point once', () => {
    const small = buildSearchSpace({ temperature: [0, 1] }, openai);
    assert.equal(createProposer(small, { method: 'random', trials: 10, direction: 'maximize' }).planned, 2);
  });
  it('tpe moves toward good results: after the startup draws, proposals cluster near the best', () => {
    const p = createProposer(dims, { method: 'tpe', trials: 40, seed: 1, direction: 'maximize' });
    const f = (a: Record<string, unknown>) => 1 - Math.abs(Number(a.temperature) - 1.3) - Math.abs(Number(a.top_p) - 0.4);
    const seen: { assignment: Record<string, number>; score: ReturnType<typeof scoreTrial> }[] = [];
    for (let i = 0; i < 40; i++) {
      const [a] = p.next(1, seen as never);
      seen.push({ assignment: a as Record<string, number>, score: scoreTrial({ q: f(a) }, { metric: 'q', direction: 'maximize' }, []) });
    }
    const late = seen.slice(20).map((o) => f(o.assignment));
    const early = seen.slice(0, 5).map((o) => f(o.assignment));
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(avg(late) > avg(early) + 0.2, `late ${avg(late)} vs startup ${avg(early)}`);
  });
});

describe('sweep objective', () => {
  it('direction defaults from the metric name; constraints parse from text and from min/max', () => {
    const spec = sweepSchema.parse({ parameters: { temperature: [0] }, objective: 'latency_ms/p95', constraints: ['cost_usd/total <= 0.05', { metric: 'pass_rate', min: 0.8 }] });
    assert.deepEqual(objectiveOf(spec), { metric: 'latency_ms/p95', direction: 'minimize' });
    assert.deepEqual(constraintsOf(spec).map((c) => [c.metric, c.op, c.bound]), [['cost_usd/total', '<=', 0.05], ['pass_rate', '>=', 0.8]]);
    assert.throws(() => objectiveOf(sweepSchema.parse({ parameters: { temperature: [0] }, objective: 'num_cases' })), /higher or lower/);
  });
  it('feasible trials beat infeasible ones whatever their value; failed trials rank last', () => {
    const o = { metric: 'pass_rate', direction: 'maximize' as const };
    const cs = constraintsOf(sweepSchema.parse({ parameters: { temperature: [0] }, constraints: ['cost_usd/total <= 1'] }));
    const scores = [
      scoreTrial({ pass_rate: 1, 'cost_usd/total': 2 }, o, cs),
      scoreTrial(undefined, o, cs),
      scoreTrial({ pass_rate: 0.6, 'cost_usd/total': 0.5 }, o, cs),
      scoreTrial({ pass_rate: 0.8, 'cost_usd/total': 0.9 }, o, cs),
    ];
    assert.equal(bestIndex(scores, 'maximize'), 3);
    assert.deepEqual(scores[0].violated, ['cost_usd/total <= 1']);
  });
  it('the Pareto front keeps what nothing cheaper matches, cheapest first', () => {
    const pts = [{ quality: 0.9, cost: 3 }, { quality: 0.5, cost: 1 }, { quality: 0.4, cost: 2 }, { quality: 0.9, cost: 4 }, { quality: 1, cost: 5 }];
    assert.deepEqual(paretoFront(pts, 'maximize'), [1, 0, 4]);
  });
  it('the best trial\'s model entry round-trips through YAML as a suite `models:` entry', () => {
    const m = trialModel(openai, buildSearchSpace({ temperature: [0.7] }, openai), { temperature: 0.7 });
    assert.deepEqual(YAML.parse(YAML.stringify({ models: [m] })), { models: [{ provider: 'openai', model: 'gpt-4o-mini', params: { max_tokens: 50, temperature: 0.7 } }] });
  });
});
