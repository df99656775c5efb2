import assert from 'node:assert/strict';
import { compareRuns, matchesFilter, parseFilter, parseOrderBy } from '../../../src/core/tracking/filter';
import { TrackingError } from '../../../src/core/tracking/types';
import type { Run } from '../../../src/core/tracking/types';

function run(id: string, start: number, o: { metrics?: Record<string, number>; params?: Record<string, string>; tags?: Record<string, string>; status?: Run['info']['status']; name?: string } = {}): Run {
  return {
    info: { runId: id, runName: o.name ?? id, experimentId: '1', status: o.status ?? 'FINISHED', startTime: start, lifecycleStage: 'active' },
    data: {
      metrics: Object.entries(o.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      params: Object.entries(o.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(o.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  };
}

describe('tracking filter parser', function () {
  it('parses metrics, params, quoted tags, attributes and AND', function () {
    assert.deepEqual(parseFilter("metrics.acc > 0.8 AND params.model = 'a' and tags.\"my key\" != 'v' AND tags.`a.b` LIKE 'x%' AND attributes.status = 'FINISHED'"), [
      { type: 'metric', key: 'acc', op: '>', value: 0.8 },
      { type: 'param', key: 'model', op: '=', value: 'a' },
      { type: 'tag', key: 'my key', op: '!=', value: 'v' },
      { type: 'tag', key: 'a.b', op: 'LIKE', value: 'x%' },
      { type: 'attribute', key: 'status', op: '=', value: 'FINISHED' },
    ]);
  });
  it('parses dotted and slashed metric names in backticks, negative and exponent numbers', function () {
    assert.deepEqual(parseFilter('metrics.`latency_ms/p95` <= -1.5e2'), [{ type: 'metric', key: 'latency_ms/p95', op: '<=', value: -150 }]);
    assert.deepEqual(parseFilter('metrics.a.b >= .5'), [{ type: 'metric', key: 'a.b', op: '>=', value: 0.5 }]);
  });
  it('parses bare attributes, ILIKE, IN and NOT IN on run_id and numeric attributes', function () {
    assert.deepEqual(parseFilter("run_name ILIKE '%eval%'"), [{ type: 'attribute', key: 'run_name', op: 'ILIKE', value: '%eval%' }]);
    assert.deepEqual(parseFilter("attributes.run_id IN ('a', 'b')"), [{ type: 'attribute', key: 'run_id', op: 'IN', value: ['a', 'b'] }]);
    assert.deepEqual(parseFilter("attributes.run_id NOT IN ('a')"), [{ type: 'attribute', key: 'run_id', op: 'NOT IN', value: ['a'] }]);
    assert.deepEqual(parseFilter('attributes.start_time >= 1000'), [{ type: 'attribute', key: 'start_time', op: '>=', value: 1000 }]);
    assert.deepEqual(parseFilter("name LIKE 'exp-%'"), [{ type: 'attribute', key: 'name', op: 'LIKE', value: 'exp-%' }]);
  });
  it('handles escaped quotes inside values', function () {
    assert.deepEqual(parseFilter("params.p = 'it''s'"), [{ type: 'param', key: 'p', op: '=', value: "it's" }]);
  });
  it('returns an empty AST for an empty filter', function () {
    assert.deepEqual(parseFilter(''), []);
    assert.deepEqual(parseFilter(undefined), []);
  });
  for (const bad of ['metrics.acc >>> 1', "metrics.acc > 'x'", 'params.model = 3', "params.model > 'a'", "params.m IN ('a')", "metrics.a > 1 OR metrics.b > 1", "params.x = 'open", 'metrics.acc', "tags.t = 'a' AND"]) {
    it(`refuses ${JSON.stringify(bad)} with INVALID_PARAMETER_VALUE and an example`, function () {
      assert.throws(() => parseFilter(bad), (e: unknown) => e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE' && /Example:/.test(e.message));
    });
  }
  it('parses order_by clauses', function () {
    assert.deepEqual(parseOrderBy(['metrics.acc DESC', 'attributes.start_time asc', 'params.p', 'metrics.`a/b` DESC', 'start_time']), [
      { type: 'metric', key: 'acc', ascending: false },
      { type: 'attribute', key: 'start_time', ascending: true },
      { type: 'param', key: 'p', ascending: true },
      { type: 'metric', key: 'a/b', ascending: false },
      { type: 'attribute', key: 'start_time', ascending: true },
    ]);
    assert.throws(() => parseOrderBy(['metrics.acc SIDEWAYS']), TrackingError);
  });
});

describe('tracking filter evaluation', function () {
  const runs = [
    run('r1', 1000, { metrics: { acc: 0.9 }, params: { model: 'a' }, tags: { team: 'x' }, name: 'r1' }),
    run('r2', 2000, { metrics: { acc: 0.5 }, params: { model: 'b' }, tags: { team: 'x' }, name: 'r2' }),
    run('r3', 3000, { metrics: { acc: 0.7 }, params: { model: 'a' }, tags: { team: 'y' }, status: 'FAILED', name: 'r3' }),
    run('r4', 4000, { params: { model: 'c' }, tags: { team: 'y' }, status: 'RUNNING', name: 'r4' }),
    run('other5', 5000, { metrics: { acc: 0.95 }, params: { model: 'b' }, tags: { team: 'z' }, name: 'other5' }),
  ];
  const ids = (filter: string, orderBy?: string[]) => runs.filter((r) => matchesFilter(r, parseFilter(filter))).sort(compareRuns(orderBy)).map((r) => r.info.runId);

  it('matches like MLflow (runs missing a key never match)', function () {
    assert.deepEqual(ids('metrics.acc > 0.8'), ['other5', 'r1']);
    assert.deepEqual(ids('metrics.acc != 0.5'), ['other5', 'r3', 'r1']);
    assert.deepEqual(ids("params.model != 'a'"), ['other5', 'r4', 'r2']);
    assert.deepEqual(ids("tags.team = 'y'"), ['r4', 'r3']);
    assert.deepEqual(ids("attributes.status = 'FINISHED'"), ['other5', 'r2', 'r1']);
    assert.deepEqual(ids("attributes.run_name LIKE 'r%'"), ['r4', 'r3', 'r2', 'r1']);
    assert.deepEqual(ids("attributes.run_name LIKE 'R%'"), []);
    assert.deepEqual(ids("attributes.run_name ILIKE 'R_'"), ['r4', 'r3', 'r2', 'r1']);
    assert.deepEqual(ids("attributes.run_id IN ('r1', 'r4')"), ['r4', 'r1']);
    assert.deepEqual(ids("metrics.acc >= 0.5 AND params.model = 'b'"), ['other5', 'r2']);
  });
  it('orders with missing values last in both directions, ties by start_time DESC then run id', function () {
    assert.deepEqual(ids('', ['metrics.acc DESC']), ['other5', 'r1', 'r3', 'r2', 'r4']);
    assert.deepEqual(ids('', ['metrics.acc ASC']), ['r2', 'r3', 'r1', 'other5', 'r4']);
    assert.deepEqual(ids('', ['params.model ASC']), ['r3', 'r1', 'other5', 'r2', 'r4']);
    assert.deepEqual(ids('', ['attributes.start_time ASC']), ['r1', 'r2', 'r3', 'r4', 'other5']);
    const tie = [run('b', 1, {}), run('a', 1, {}), run('c', 2, {})].sort(compareRuns([])).map((r) => r.info.runId);
    assert.deepEqual(tie, ['c', 'a', 'b']);
  });
  it('refuses an unknown attribute', function () {
    assert.throws(() => matchesFilter(runs[0], parseFilter("attributes.colour = 'red'")), TrackingError);
  });
});
