import assert from 'node:assert/strict';
import type { FileChange } from '../../../src/core/versions/nameStatusParser';
import { countVersions } from '../../../src/core/versions/versionCounter';
import type { WalkedCommit } from '../../../src/core/versions/versionCounter';

function c(hash: string, parents: string[], time: number, changes: FileChange[] = []): WalkedCommit {
  return { hash, parents, time, author: 'a', date: '', subject: hash, changes };
}
const M = (path: string): FileChange => ({ status: 'M', path });
const A = (path: string): FileChange => ({ status: 'A', path });
const R = (oldPath: string, path: string): FileChange => ({ status: 'R', path, oldPath });
const none = () => undefined;

describe('countVersions', () => {
  it('counts commits touching a file and continues across renames', () => {
    const commits = [c('4', ['3'], 4, [M('b')]), c('3', ['2'], 3, [R('a', 'b')]), c('2', ['1'], 2, [M('a'), M('x')]), c('1', [], 1, [A('a'), A('x')])];
    const counts = countVersions(commits, ['b', 'x'], none);
    assert.equal(counts.get('b')!.version, 4);
    assert.equal(counts.get('b')!.last!.hash, '4');
    assert.equal(counts.get('x')!.version, 2);
  });

  it('does not credit an older, unrelated file that had the new name', () => {
    const commits = [c('3', ['2'], 3, [R('a', 'b')]), c('2', ['1'], 2, [M('b'), M('a')]), c('1', [], 1, [A('a'), A('b')])];
    assert.equal(countVersions(commits, ['b'], none).get('b')!.version, 3);
  });

  it('handles swapped names in one commit', () => {
    const commits = [c('2', ['1'], 2, [R('a', 'b'), R('b', 'a')]), c('1', [], 1, [A('a'), A('b')])];
    const counts = countVersions(commits, ['a', 'b'], none);
    assert.equal(counts.get('a')!.version, 2);
    assert.equal(counts.get('b')!.version, 2);
  });

  it('follows a side branch that edited the file under its old name, counting each commit once', () => {
    // main: 1 (add a) - 2 (rename a->b) - 4 (merge of 3); side: 1 - 3 (edit a), dated before 2.
    const commits = [
      c('4', ['2', '3'], 5),
      c('3', ['1'], 2, [M('a')]),
      c('2', ['1'], 3, [R('a', 'b')]),
      c('1', [], 1, [A('a')]),
    ];
    const edges = new Map([['4', [[], [R('a', 'b')]]]]);
    const counts = countVersions(commits, ['b'], (m, i) => edges.get(m.hash)?.[i], { collectTouches: true });
    assert.equal(counts.get('b')!.version, 3);
    assert.equal(counts.get('b')!.last!.hash, '2');
    assert.deepEqual(counts.get('b')!.touches!.map((t) => [t.commit.hash, t.path]), [['3', 'a'], ['2', 'b'], ['1', 'a']]);
  });
});
