import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { gitBlobHash } from '../../../src/core/versions/blobHash';
import { testGitEnv } from '../../helpers/gitRepo';

function gitHashObject(bytes: Uint8Array): string {
  // --no-filters: hash the bytes as given, like the in-process hash.
  return execFileSync('git', ['hash-object', '--no-filters', '--stdin'], { input: bytes, env: testGitEnv(), encoding: 'utf8' }).trim();
}

describe('gitBlobHash against git hash-object', () => {
  const texts = ['', 'a', 'hello\n', 'line1\r\nline2\r\n', 'no newline', 'ünïcødé ✓ 漢字 🙂\n', '\0nul\0inside', 'x'.repeat(100_000)];
  for (const t of texts) {
    it(`text ${JSON.stringify(t.slice(0, 20))}${t.length > 20 ? '…' : ''}`, () => {
      assert.equal(gitBlobHash(t), gitHashObject(Buffer.from(t, 'utf8')));
    });
  }
  it('binary bytes, including invalid UTF-8', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256);
    assert.equal(gitBlobHash(bytes), gitHashObject(bytes));
    const invalid = new Uint8Array([0xff, 0xfe, 0x00, 0xc3]);
    assert.equal(gitBlobHash(invalid), gitHashObject(invalid));
  });
});
