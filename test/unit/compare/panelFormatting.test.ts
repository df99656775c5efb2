// Numbers as the panels write them (webview-ui/shared/numberFormat.ts): latencies of echo and cached calls
// read as durations, never in exponent notation or as an empty string.
import { strict as assert } from 'node:assert';
import { formatMs, formatNumber } from '../../../webview-ui/shared/numberFormat';

describe('panel number formatting', () => {
  it('writes latencies as people read them', () => {
    assert.deepEqual([0, 0.00025, 0.4, 1, 3.25, 9.96, 120.4, 9999, 12_345].map(formatMs),
      ['0 ms', '<1 ms', '<1 ms', '1 ms', '3.3 ms', '10 ms', '120 ms', '9999 ms', '12.3 s']);
    assert.equal(formatMs(null), '—');
    assert.equal(formatMs(Number.NaN), '—');
  });

  it('keeps the integer part when no decimals are asked for (0.4 with 0 digits is "0", not "")', () => {
    assert.equal(formatNumber(0.4, 0), '0');
    assert.equal(formatNumber(12.6, 0), '13');
    assert.equal(formatNumber(0.1234), '0.123');
    assert.equal(formatNumber(2.5), '2.5');
    assert.equal(formatNumber(150.25), '150.3');
  });
});
