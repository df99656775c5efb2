import assert from 'node:assert/strict';
import { crc32, crc32Hex, crc32HexOfText, jsCrc32 } from '../../../../src/core/tracking/local/crc32';
import { decodeLines, encodeLine } from '../../../../src/core/tracking/local/logFormat';

describe('embedded store log format', function () {
  it('computes the standard CRC-32 (check value of "123456789")', function () {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(jsCrc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('the runtime\'s crc32 and the plain-JS one agree: ranges, strings as their UTF-8 bytes, every length', function () {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 600; n++) {
      const text = Array.from({ length: n % 97 }, () => String.fromCodePoint(rand() < 0.8 ? 32 + Math.floor(rand() * 95) : 0xa0 + Math.floor(rand() * 0x3000))).join('');
      const bytes = Buffer.from(`xx${text}yy`, 'utf8');
      assert.equal(crc32(bytes, 2, bytes.length - 2), jsCrc32(bytes, 2, bytes.length - 2));
      assert.equal(crc32HexOfText(text), jsCrc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0'));
      assert.equal(crc32Hex(Buffer.from(text, 'utf8')), crc32HexOfText(text));
    }
  });

  it('encodes one record per line with a checksum and decodes it back', function () {
    const recs = [{ t: 'a', s: 'line\nbreak ünï' }, { t: 'b', n: 1.5 }];
    const text = recs.map(encodeLine).join('');
    assert.equal(text.split('\n').length, 3, 'newlines inside values are escaped');
    assert.match(text, /^[0-9a-f]{8} \{/);
    const out = decodeLines(Buffer.from(text));
    assert.deepEqual(out.values, recs);
    assert.equal(out.validEnd, Buffer.byteLength(text));
    assert.equal(out.stop, undefined);
  });

  it('stops before a torn (unterminated) tail at every cut point', function () {
    const good = encodeLine({ t: 'ok', i: 1 });
    const next = encodeLine({ t: 'torn', payload: 'x'.repeat(50) });
    for (let cut = 1; cut < next.length; cut++) {
      const out = decodeLines(Buffer.from(good + next.slice(0, cut)));
      assert.equal(out.values.length, 1, `cut ${cut}`);
      assert.equal(out.validEnd, good.length);
      assert.equal(out.stop, 'partial');
    }
  });

  it('stops at a line whose checksum does not match (bit flip, zero fill)', function () {
    const good = encodeLine({ t: 'ok' });
    const bad = encodeLine({ t: 'bad', v: 1 }).replace('"v":1', '"v":2');
    let out = decodeLines(Buffer.from(good + bad + good));
    assert.equal(out.values.length, 1);
    assert.equal(out.stop, 'corrupt');
    out = decodeLines(Buffer.concat([Buffer.from(good), Buffer.alloc(40), Buffer.from('\n')]));
    assert.equal(out.values.length, 1);
    assert.equal(out.stop, 'corrupt');
  });
});
