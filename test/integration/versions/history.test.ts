import assert from 'node:assert/strict';
import { fileAtCommit, fileHistory } from '../../../src/core/versions/history';
import { findVersion, parseVersionRef } from '../../../src/core/versions/versionRef';
import { makeRepo } from '../../helpers/gitRepo';
import type { TestRepo } from '../../helpers/gitRepo';

describe('fileHistory and fileAtCommit', () => {
  let repo: TestRepo;
  before(() => {
    repo = makeRepo();
    repo.write('prompts/summarize.prompty', 'first\n');
    repo.commit('first', { author: 'Ada' });
    repo.write('unrelated.md', 'x');
    repo.commit('unrelated');
    repo.write('prompts/summarize.prompty', 'second ✓\n');
    repo.commit('second', { author: 'Grace <grace@example.test>' });
    repo.mv('prompts/summarize.prompty', 'prompts/summary.prompty');
    repo.commit('rename');
    repo.write('prompts/summary.prompty', 'third\r\n');
    repo.commit('third');
  });
  after(() => repo.cleanup());

  it('lists the commits that touched the file, newest first, numbered from the oldest', async () => {
    const history = await fileHistory(repo.dir, 'prompts/summary.prompty');
    assert.deepEqual(history.map((h) => [h.version, h.subject, h.pathAtCommit]), [
      [4, 'third', 'prompts/summary.prompty'],
      [3, 'rename', 'prompts/summary.prompty'],
      [2, 'second', 'prompts/summarize.prompty'],
      [1, 'first', 'prompts/summarize.prompty'],
    ]);
    assert.equal(history[2].author, 'Grace');
    assert.equal(history[3].author, 'Ada');
    assert.equal(history[0].commit, repo.head());
    assert.equal(history[0].shortCommit, repo.head().slice(0, 7));
    const dates = history.map((h) => Date.parse(h.date));
    assert.deepEqual([...dates].sort((a, b) => b - a), dates);
  });

  it('returns the exact content at each version', async () => {
    const history = await fileHistory(repo.dir, 'prompts/summary.prompty');
    const contents = await Promise.all(history.map((h) => fileAtCommit(repo.dir, h.commit, h.pathAtCommit)));
    assert.deepEqual(contents, ['third\r\n', 'second ✓\n', 'second ✓\n', 'first\n']);
  });

  it('resolves path@v2 and path@<commit> references', async () => {
    const history = await fileHistory(repo.dir, 'prompts/summary.prompty');
    const byVersion = findVersion(history, parseVersionRef('prompts/summary.prompty@v2').selector!)!;
    assert.equal(await fileAtCommit(repo.dir, byVersion.commit, byVersion.pathAtCommit), 'second ✓\n');
    const byCommit = findVersion(history, parseVersionRef(`prompts/summary.prompty@${history[3].shortCommit}`).selector!)!;
    assert.equal(byCommit.version, 1);
  });

  it('rejects an unknown path at a commit with git\'s message', async () => {
    await assert.rejects(fileAtCommit(repo.dir, repo.head(), 'nope.md'), /nope\.md/);
  });

  it('returns no history for untouched paths and non-repositories', async () => {
    assert.deepEqual(await fileHistory(repo.dir, 'never.md'), []);
    const plain = makeRepo({ init: false });
    try {
      assert.deepEqual(await fileHistory(plain.dir, 'a.md'), []);
    } finally {
      plain.cleanup();
    }
  });
});
