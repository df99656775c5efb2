import { strict as assert } from 'node:assert';
import { buildComparison } from '../../../src/core/compare/buildComparison';
import { parseEvalTable, readEvalCases } from '../../../src/core/compare/evalTable';
import { makeRun, makeTable } from './fixtures';

describe('buildComparison', () => {
  const a = makeRun('a', { model: 'gpt-a', temperature: '0', prompt_hash: 'h1' }, { pass_rate: 0.5, 'latency_ms/p95': 900, 'cost_usd/total': 0.02, num_cases: 3 });
  const b = makeRun('b', { model: 'gpt-b', temperature: '0', prompt_hash: 'h2' }, { pass_rate: 0.75, 'latency_ms/p95': 1200, 'cost_usd/total': 0.01, num_cases: 3 });
  const tables = new Map([
    ['a', makeTable([
      { id: 'c1', inputs: { q: 'one' }, output: 'A1', pass: true, latency: 100 },
      { id: 'c2', inputs: { q: 'two' }, output: 'A2', pass: false, latency: 200 },
      { id: 'c3', inputs: { q: 'three' }, output: 'same', pass: true, latency: 300 },
    ])],
    ['b', makeTable([
      { id: 'c3', inputs: { q: 'three' }, output: 'same', pass: true, latency: 250 },
      { id: 'c1', inputs: { q: 'one' }, output: 'B1', pass: true, latency: 120 },
      { id: 'c4', inputs: { q: 'four' }, output: 'B4', pass: true, latency: 90, error: 'timeout' },
    ])],
  ]);
  const prompts = new Map([['a', 'Line 1\nSummarize {{text}}.'], ['b', 'Line 1\nSummarize {{text}} briefly.']]);

  it('lays params side by side with differs flags', () => {
    const m = buildComparison([a, b], tables, prompts);
    assert.deepEqual(m.params.map((p) => [p.key, p.differs]), [['model', true], ['prompt_hash', true], ['temperature', false]]);
    assert.deepEqual(m.params[0].values, ['gpt-a', 'gpt-b']);
  });

  it('computes deltas vs the first run and marks the better value by direction', () => {
    const m = buildComparison([a, b], tables, prompts);
    const row = (k: string) => m.metrics.find((r) => r.key === k)!;
    assert.equal(m.metrics[0].key, 'pass_rate');
    assert.deepEqual(row('pass_rate').deltas, [0, 0.25]);
    assert.deepEqual(row('pass_rate').vsBaseline, ['same', 'better']);
    assert.deepEqual(row('pass_rate').best, [1]);
    assert.deepEqual(row('latency_ms/p95').vsBaseline, ['same', 'worse']);
    assert.deepEqual(row('latency_ms/p95').best, [0]);
    assert.ok(Math.abs(row('latency_ms/p95').relDeltas[1]! - 1 / 3) < 1e-9);
    assert.deepEqual(row('cost_usd/total').best, [1]);
    assert.deepEqual(row('num_cases').best, []);
    assert.deepEqual(row('num_cases').vsBaseline, [null, null]);
  });

  it('uses a chosen baseline', () => {
    const m = buildComparison([a, b], tables, prompts, 'b');
    assert.equal(m.baselineIndex, 1);
    assert.deepEqual(m.metrics.find((r) => r.key === 'pass_rate')!.deltas, [-0.25, 0]);
    assert.equal(m.runs[1].isBaseline, true);
    assert.equal(m.promptDiffs[0].runIndex, 0);
  });

  it('diffs prompt texts against the baseline', () => {
    const m = buildComparison([a, b], tables, prompts);
    assert.equal(m.promptDiffs.length, 1);
    assert.deepEqual(m.promptDiffs[0].lines.map((l) => l.op), ['equal', 'delete', 'insert']);
    const missing = buildComparison([a, b], tables, new Map([['a', 'x']]));
    assert.equal(missing.promptDiffs[0].missing, true);
  });

  it('joins cases by id across runs with changed/failing flags', () => {
    const m = buildComparison([a, b], tables, prompts);
    assert.deepEqual(m.cases.map((c) => c.caseId), ['c1', 'c2', 'c3', 'c4']);
    const c = Object.fromEntries(m.cases.map((r) => [r.caseId, r]));
    assert.equal(c.c1.changed, true);
    assert.equal(c.c1.failing, false);
    assert.equal(c.c2.cells[1], null);
    assert.equal(c.c2.failing, true);
    assert.equal(c.c2.changed, false); // only one run has it
    assert.equal(c.c3.changed, false);
    assert.equal(c.c4.failing, true); // error counts as failing
    assert.equal(c.c1.inputs, '{"q":"one"}');
    assert.deepEqual(m.scorerNames, ['exact_match']);
  });

  it('joins by inputs hash when there is no case id, and keeps repeats apart', () => {
    const t1 = makeTable([{ inputs: { q: 1, r: 2 }, output: 'x' }, { inputs: { q: 1, r: 2 }, output: 'x2' }]);
    const t2 = makeTable([{ inputs: { r: 2, q: 1 }, output: 'y' }]);
    const m = buildComparison([a, b], new Map([['a', t1], ['b', t2]]), new Map());
    assert.equal(m.cases.length, 2);
    assert.equal(m.cases[0].cells[0]!.output, 'x');
    assert.equal(m.cases[0].cells[1]!.output, 'y');
    assert.equal(m.cases[1].cells[1], null);
  });

  it('builds latency histogram and cost/quality scatter', () => {
    const m = buildComparison([a, b], tables, prompts);
    const h = m.charts.latency!;
    assert.equal(h.edges.length, 21);
    assert.deepEqual(h.counts.map((c) => c.reduce((s, x) => s + x, 0)), [3, 3]);
    assert.equal(m.charts.scatter.qualityMetric, 'pass_rate');
    assert.equal(m.charts.scatter.costMetric, 'cost_usd/total');
    assert.deepEqual(m.charts.scatter.points[1], { runIndex: 1, cost: 0.01, quality: 0.75 });
  });

  it('rejects an empty run list', () => assert.throws(() => buildComparison([], new Map(), new Map()), /at least one run/));
});

describe('evalTable', () => {
  it('reads score columns in several shapes and mlflow feedback lists', () => {
    const t = parseEvalTable(JSON.stringify({
      columns: ['request', 'response', 'correctness/score', 'scores', 'passed', 'latency'],
      data: [['hi', { text: 'yo' }, 'yes', [{ name: 'safety', value: 1 }], 'true', '12.5']],
    }));
    const [c] = readEvalCases(t);
    assert.deepEqual(c.scores, { safety: 1, correctness: 'yes' });
    assert.equal(c.output, '{"text":"yo"}');
    assert.equal(c.pass, true);
    assert.equal(c.latencyMs, 12.5);
    assert.match(c.key, /^in:[0-9a-f]{16}$/);
  });
  it('names the artifact and the fix on bad JSON', () => {
    assert.throws(() => parseEvalTable('{', 'runs/x/eval_results_table.json'), /runs\/x\/eval_results_table\.json: not valid JSON.*columns/);
    assert.throws(() => parseEvalTable('{"rows":[]}'), /expected an object with "columns"/);
  });
});
