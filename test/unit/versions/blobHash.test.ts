import assert from 'node:assert/strict';
import { gitBlobHash, sameContentAsBlob } from '../../../src/core/versions/blobHash';

// Ids printed by `git hash-object --stdin` (the integration suite checks many more against git).
describe('gitBlobHash', () => {
  it('matches git for the empty blob', () => {
    assert.equal(gitBlobHash(''), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    assert.equal(gitBlobHash(new Uint8Array()), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
  it('matches git for text, hashing strings as UTF-8', () => {
    assert.equal(gitBlobHash('hello\n'), 'ce013625030ba8dba906f756967f9e9ca394464a');
    assert.equal(gitBlobHash('héllo'), gitBlobHash(Buffer.from('héllo', 'utf8')));
  });
  it('treats CRLF text as equal to its LF blob only through sameContentAsBlob', () => {
    const lf = gitBlobHash('a\nb\n');
    assert.notEqual(gitBlobHash('a\r\nb\r\n'), lf);
    assert.equal(sameContentAsBlob('a\r\nb\r\n', lf), true);
    assert.equal(sameContentAsBlob('a\r\nc\r\n', lf), false);
  });
});
