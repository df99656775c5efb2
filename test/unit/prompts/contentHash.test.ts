import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { normalizePromptContent, normalizedContentHash, shortHash } from '../../../src/core/prompts/contentHash';

describe('prompts: content hash', () => {
  const lf = '---\nname: x\n---\nsystem:\nHello {{ name }}\n';

  it('is the sha256 of the normalized text', () => {
    assert.equal(normalizedContentHash(lf), createHash('sha256').update(lf).digest('hex'));
    assert.match(normalizedContentHash(lf), /^[0-9a-f]{64}$/);
  });

  it('ignores CRLF/CR line endings, a BOM, trailing spaces and trailing blank lines', () => {
    const variants = [lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r'), '\uFEFF' + lf, lf.replace(/\n/g, '  \t\n'), lf + '\n\n', lf.slice(0, -1)];
    for (const v of variants) assert.equal(normalizedContentHash(v), normalizedContentHash(lf), JSON.stringify(v));
  });

  it('changes when content changes, including leading indentation and inner blank lines', () => {
    const base = normalizedContentHash(lf);
    assert.notEqual(normalizedContentHash(lf.replace('Hello', 'Hi')), base);
    assert.notEqual(normalizedContentHash(lf.replace('Hello', '  Hello')), base);
    assert.notEqual(normalizedContentHash(lf.replace('system:\n', 'system:\n\n')), base);
  });

  it('normalizes to exactly one trailing newline, also for empty text', () => {
    assert.equal(normalizePromptContent('a \r\nb\r\n\r\n'), 'a\nb\n');
    assert.equal(normalizePromptContent(''), '\n');
  });

  it('shortHash is the first 12 characters', () => {
    const h = normalizedContentHash(lf);
    assert.equal(shortHash(h), h.slice(0, 12));
    assert.equal(shortHash(h).length, 12);
  });
});
