// stableStringify keys rows by their vars (duplicate cases, comparisons): the same JSON for the
// same value whatever the key order, built by appending for speed. Checked against the plain
// sort/map/join definition on random nested values.
import { strict as assert } from 'node:assert';
import { stableStringify } from '../../../src/core/compare/evalTable';

function reference(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
}

describe('stableStringify', () => {
  it('gives the same text for the same value in any key order', () => {
    assert.equal(stableStringify({ b: 1, a: [2, { d: null, c: 'x' }] }), stableStringify({ a: [2, { c: 'x', d: null }], b: 1 }));
    assert.equal(stableStringify({ b: 1, a: 2 }), '{"a":2,"b":1}');
  });

  it('matches the sort/map/join definition on random nested values', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const keys = ['a', 'b', 'B', 'é', '10', '2', 'a b', ''];
    const value = (depth: number): unknown => {
      const r = rand();
      // Leaves JSON.stringify writes its own way (NaN, -0, Infinity, a Date's toJSON) keep flat
      // objects honest: those take the one-call path only when it writes the same text.
      const leaves = [1, 'x', null, undefined, true, 2.5, '"q"', NaN, -0, Infinity, new Date(0)];
      if (depth > 2 || r < 0.4) return leaves[Math.floor(rand() * leaves.length)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let k = Math.floor(rand() * 5); k > 0; k--) o[keys[Math.floor(rand() * keys.length)]] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 20000; i++) {
      const v = value(0);
      assert.equal(stableStringify(v), reference(v), JSON.stringify(v));
    }
  });
});
