import assert from 'node:assert/strict';
import { parseLsTree, parseStatusV2 } from '../../../src/core/versions/statusParser';

describe('parseStatusV2', () => {
  it('reads branch, HEAD, edits, deletions, renames and unmerged entries', () => {
    const out = [
      '# branch.oid 3f2a9c1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '# branch.head main',
      '1 .M N... 100644 100644 100644 aaaa bbbb prompts/a b.prompty',
      '1 .D N... 100644 100644 000000 aaaa bbbb gone.md',
      '2 R. N... 100644 100644 100644 aaaa bbbb R100 new name.md', 'old name.md',
      'u UU N... 100644 100644 100644 100644 h1 h2 h3 conflict.md',
      '? new.txt',
      '',
    ].join('\0');
    const s = parseStatusV2(out);
    assert.equal(s.headCommit, '3f2a9c1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(s.branch, 'main');
    assert.equal(s.detached, false);
    assert.deepEqual([...s.changed], [
      ['prompts/a b.prompty', { deleted: false }],
      ['gone.md', { deleted: true }],
      ['new name.md', { deleted: false }],
      ['old name.md', { deleted: true }],
      ['conflict.md', { deleted: false }],
    ]);
    assert.deepEqual([...s.untracked], ['new.txt']);
  });

  it('recognises a repository without commits and a detached HEAD', () => {
    assert.equal(parseStatusV2('# branch.oid (initial)\0# branch.head main\0').headCommit, undefined);
    const d = parseStatusV2('# branch.oid abc\0# branch.head (detached)\0');
    assert.equal(d.detached, true);
    assert.equal(d.branch, undefined);
  });
});

describe('parseLsTree', () => {
  it('maps blob paths to ids and skips submodules', () => {
    const out = '100644 blob aaaa\tprompts/ä b.md\x00160000 commit bbbb\tvendor/sub\x00100755 blob cccc\trun.sh\x00';
    assert.deepEqual([...parseLsTree(out)], [['prompts/ä b.md', 'aaaa'], ['run.sh', 'cccc']]);
  });
});
