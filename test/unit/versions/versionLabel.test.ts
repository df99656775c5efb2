import assert from 'node:assert/strict';
import { gitBlobHash } from '../../../src/core/versions/blobHash';
import { emptyLabel, labelText, refreshLabelForText } from '../../../src/core/versions/versionLabel';
import type { VersionLabel } from '../../../src/core/versions/versionLabel';

const committed: VersionLabel = {
  state: 'committed', version: 7, commit: '3f2a9c1' + '0'.repeat(33), shortCommit: '3f2a9c1',
  headBlob: gitBlobHash('hello\n'), workingBlob: gitBlobHash('hello\n'), edited: false, shallow: false, detached: false, text: 'v7 · 3f2a9c1',
};

describe('version label text', () => {
  it('reads like the CodeLens', () => {
    assert.equal(labelText(committed), 'v7 · 3f2a9c1');
    assert.equal(labelText({ ...committed, edited: true }), 'v7 · 3f2a9c1 · edited');
    assert.equal(labelText({ ...committed, shallow: true }), 'v7+ · 3f2a9c1');
    assert.equal(labelText({ ...committed, edited: true, deleted: true }), 'v7 · 3f2a9c1 · deleted');
    assert.equal(emptyLabel('untracked').text, 'untracked');
    assert.equal(emptyLabel('not-repo').text, 'not in git');
    assert.equal(emptyLabel('no-git').text, 'git not found');
    assert.equal(emptyLabel('no-commits').text, 'no commits yet');
  });
});

describe('refreshLabelForText', () => {
  it('marks unsaved changes as edited and back', () => {
    const edited = refreshLabelForText(committed, 'hello world\n');
    assert.equal(edited.edited, true);
    assert.equal(edited.workingBlob, gitBlobHash('hello world\n'));
    assert.equal(edited.text, 'v7 · 3f2a9c1 · edited');
    const back = refreshLabelForText(edited, 'hello\n');
    assert.equal(back.edited, false);
    assert.equal(back.text, 'v7 · 3f2a9c1');
  });
  it('does not call CRLF text of an LF blob edited', () => {
    assert.equal(refreshLabelForText(committed, 'hello\r\n').edited, false);
  });
  it('leaves untracked labels untracked', () => {
    const u = refreshLabelForText(emptyLabel('untracked'), 'x');
    assert.equal(u.text, 'untracked');
    assert.equal(u.workingBlob, gitBlobHash('x'));
  });
});
