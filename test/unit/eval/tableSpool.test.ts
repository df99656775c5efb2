import assert from 'node:assert/strict';
import { TableSpool } from '../../../src/core/eval/tableSpool';

describe('results table spool', () => {
  it('rows added in any order (across flushes) come out in row order, missing rows skipped', () => {
    const n = 6000;
    const spool = new TableSpool(n);
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 !== 3);
    for (let k = order.length - 1; k >= 0; k -= 2) spool.add(order[k], JSON.stringify([order[k], 'é'.repeat(order[k] % 400)]));
    for (let k = order.length - 2; k >= 0; k -= 2) spool.add(order[k], JSON.stringify([order[k], 'é'.repeat(order[k] % 400)]));
    spool.add(order[0], JSON.stringify([order[0], 'replaced'])); // a row given again keeps its last cells
    const table = JSON.parse(spool.assemble('{"columns":["i","s"],"data":[', ']}').toString('utf8')) as { data: [number, string][] };
    spool.close();
    assert.deepEqual(table.data.map((r) => r[0]), order);
    assert.equal(table.data[0][1], 'replaced');
    assert.equal(table.data[5][1], 'é'.repeat(order[5] % 400));
  });

  it('rows bigger than its buffer, and characters of every UTF-8 width, come out whole', () => {
    // Three ASCII rows leave ~28 KB of the 1 MB buffer; the next row is 20,000 UTF-16 units but
    // 40,000 bytes, so it must not be written into the room its length alone would suggest.
    const cells = ['x'.repeat(340_000), 'y'.repeat(340_000), 'z'.repeat(340_000), 'é'.repeat(20_000), '😀é'.repeat(200_000), 'ß€', 'x'.repeat(1_100_000), '😀'];
    const spool = new TableSpool(cells.length);
    cells.forEach((c, i) => spool.add(i, JSON.stringify([i, c])));
    const table = JSON.parse(spool.assemble('[', ']').toString('utf8')) as [number, string][];
    spool.close();
    assert.deepEqual(table.map((r) => r[1]), cells);
  });

  it('an empty table', () => {
    const spool = new TableSpool(3);
    assert.equal(spool.assemble('{"data":[', ']}').toString(), '{"data":[]}');
    spool.close();
  });
});
