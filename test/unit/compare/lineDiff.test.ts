import { strict as assert } from 'node:assert';
import { diffLines, diffLineArrays } from '../../../src/core/compare/lineDiff';

function render(a: string, b: string): string {
  return diffLines(a, b).map((l) => (l.op === 'equal' ? ' ' : l.op === 'delete' ? '-' : '+') + l.text).join('\n');
}

describe('lineDiff', () => {
  it('reports identical texts as all equal with both line numbers', () => {
    const d = diffLines('a\nb\n', 'a\nb');
    assert.deepEqual(d, [{ op: 'equal', text: 'a', oldLine: 1, newLine: 1 }, { op: 'equal', text: 'b', oldLine: 2, newLine: 2 }]);
  });
  it('finds a changed line in the middle', () => {
    assert.equal(render('You are helpful.\nSummarize {{text}}.\nBe brief.', 'You are helpful.\nSummarize {{text}} in 3 bullets.\nBe brief.'),
      ' You are helpful.\n-Summarize {{text}}.\n+Summarize {{text}} in 3 bullets.\n Be brief.');
  });
  it('handles insertions at start and deletions at end', () => {
    assert.equal(render('b\nc\nd', 'a\nb\nc'), '+a\n b\n c\n-d');
  });
  it('handles empty sides', () => {
    assert.equal(render('', 'x\ny'), '+x\n+y');
    assert.equal(render('x', ''), '-x');
    assert.deepEqual(diffLines('', ''), []);
  });
  it('produces a minimal script (LCS length) on interleaved edits', () => {
    const a = 'a b c a b b a'.split(' ');
    const b = 'c b a b a c'.split(' ');
    const d = diffLineArrays(a, b);
    assert.equal(d.filter((l) => l.op === 'equal').length, 4); // LCS of the classic Myers example
    // Applying the script reproduces both sides.
    assert.deepEqual(d.filter((l) => l.op !== 'insert').map((l) => l.text), a);
    assert.deepEqual(d.filter((l) => l.op !== 'delete').map((l) => l.text), b);
  });
  it('normalises CRLF', () => {
    assert.ok(diffLines('a\r\nb', 'a\nb').every((l) => l.op === 'equal'));
  });
  it('stays correct on large random inputs', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const a = Array.from({ length: 3000 }, () => String(Math.floor(rnd() * 50)));
    const b = a.map((x) => (rnd() < 0.1 ? 'changed' : x)).filter(() => rnd() > 0.05);
    const d = diffLineArrays(a, b);
    assert.deepEqual(d.filter((l) => l.op !== 'insert').map((l) => l.text), a);
    assert.deepEqual(d.filter((l) => l.op !== 'delete').map((l) => l.text), b);
  });
});
