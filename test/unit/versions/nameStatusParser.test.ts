import assert from 'node:assert/strict';
import { NameStatusParser, parseNameStatus } from '../../../src/core/versions/nameStatusParser';
import type { NameStatusRecord } from '../../../src/core/versions/nameStatusParser';

// Captured from `git log -z --topo-order -M -m --name-status --format=%x01%H%x00%P%x00%s` on a
// repo with a merge, a rename, an empty commit and a root commit (hashes shortened).
const captured =
  '\x01m1\0p1 p2\0Merge branch \'side\'\0\nM\0b.txt\0' +
  '\x01e1\0m1\0empty\0' +
  '\x01s1\0c1\0s1\0\nM\0a.txt\0' +
  '\x01r1\0c1\0ren\0\nR100\0a.txt\0b.txt\0M\0dir with space/ünï.md\0' +
  '\x01c1\0\0\0\nA\0a.txt\0A\0other\0';

describe('NameStatusParser', () => {
  it('parses headers, statuses, renames and commits without changes', () => {
    const records = parseNameStatus(captured, 3);
    assert.deepEqual(records.map((r) => r.fields), [
      ['m1', 'p1 p2', "Merge branch 'side'"], ['e1', 'm1', 'empty'], ['s1', 'c1', 's1'], ['r1', 'c1', 'ren'], ['c1', '', ''],
    ]);
    assert.deepEqual(records[1].changes, []);
    assert.deepEqual(records[3].changes, [
      { status: 'R', path: 'b.txt', oldPath: 'a.txt' },
      { status: 'M', path: 'dir with space/ünï.md' },
    ]);
    assert.deepEqual(records[4].changes, [{ status: 'A', path: 'a.txt' }, { status: 'A', path: 'other' }]);
  });

  it('gives the same records however the stream is chunked, even inside a UTF-8 character', () => {
    const whole = parseNameStatus(captured, 3);
    const bytes = Buffer.from(captured, 'utf8');
    for (const size of [1, 2, 3, 7, 64]) {
      const got: NameStatusRecord[] = [];
      const parser = new NameStatusParser(3, (r) => got.push(r));
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      parser.end();
      assert.deepEqual(got, whole, `chunk size ${size}`);
    }
  });

  it('parses diff-tree --stdin --always output with one header per edge', () => {
    const records = parseNameStatus('\x01m1\0\nM\0b.txt\0\x01m1\0\nR100\0a.txt\0b.txt\0\x01m2\0', 1);
    assert.equal(records.length, 3);
    assert.deepEqual(records[1].changes, [{ status: 'R', path: 'b.txt', oldPath: 'a.txt' }]);
    assert.deepEqual(records[2].changes, []);
  });
});
