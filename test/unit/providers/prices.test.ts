import assert from 'node:assert/strict';
import { DEFAULT_PRICES, PRICES_SNAPSHOT_DATE, costFor, mergePrices, priceFor } from '../../../src/core/providers/prices';

describe('providers/prices', () => {
  it('is dated', () => {
    assert.match(PRICES_SNAPSHOT_DATE, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('computes cost per 1M tokens', () => {
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M
    assert.equal(costFor('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0 }), 0.15);
    assert.ok(Math.abs(costFor('gpt-4o-mini', { inputTokens: 2000, outputTokens: 500 })! - (2000 * 0.15 + 500 * 0.6) / 1e6) < 1e-15);
    // claude-3-5-sonnet: $3 / $15
    assert.equal(costFor('claude-3-5-sonnet-20241022', { inputTokens: 1000, outputTokens: 1000 }), 0.018);
  });

  it('matches dated snapshots by the longest prefix', () => {
    assert.deepEqual(priceFor('gpt-4o-2024-08-06'), DEFAULT_PRICES['gpt-4o*']);
    assert.deepEqual(priceFor('gpt-4o-mini-2024-07-18'), DEFAULT_PRICES['gpt-4o-mini*']);
    assert.deepEqual(priceFor('gpt-4o-2024-05-13'), { inputPerMTok: 5, outputPerMTok: 15 }, 'exact beats prefix');
    assert.deepEqual(priceFor('gpt-4.1-nano-2025-04-14'), DEFAULT_PRICES['gpt-4.1-nano*']);
    assert.deepEqual(priceFor('o3-mini'), DEFAULT_PRICES['o3-mini*']);
    assert.deepEqual(priceFor('o3-2025-04-16'), DEFAULT_PRICES['o3*']);
    assert.deepEqual(priceFor('o4-mini'), DEFAULT_PRICES['o4-mini*']);
    assert.deepEqual(priceFor('claude-opus-4-1-20250805'), DEFAULT_PRICES['claude-opus-4-1*']);
    assert.deepEqual(priceFor('claude-opus-4-5'), { inputPerMTok: 5, outputPerMTok: 25 });
    assert.deepEqual(priceFor('claude-sonnet-4-20250514'), DEFAULT_PRICES['claude-sonnet-4*']);
    assert.deepEqual(priceFor('claude-3-7-sonnet-latest'), DEFAULT_PRICES['claude-3-7-sonnet*']);
    assert.deepEqual(priceFor('claude-3-5-haiku-latest'), { inputPerMTok: 0.8, outputPerMTok: 4 });
  });

  it('ignores case and a gateway prefix', () => {
    assert.deepEqual(priceFor('OpenAI/GPT-4o-mini'), DEFAULT_PRICES['gpt-4o-mini*']);
  });

  it('returns undefined for unknown models (local models cost nothing we know of)', () => {
    assert.equal(priceFor('llama3.1:8b'), undefined);
    assert.equal(costFor('qwen2.5', { inputTokens: 10, outputTokens: 10 }), undefined);
  });

  it('merges user overrides without touching the base, and reports bad entries', () => {
    const { prices, errors } = mergePrices(DEFAULT_PRICES, {
      'my-finetune': { inputPerMTok: 1, outputPerMTok: 2 },
      'gpt-4o-mini*': { inputPerMTok: 0.1, outputPerMTok: 0.2 },
      broken: { inputPerMTok: 'cheap' },
    });
    assert.equal(costFor('my-finetune', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, prices), 3);
    assert.equal(costFor('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0 }, prices), 0.1);
    assert.equal(costFor('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0 }), 0.15, 'base untouched');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /prices\["broken"\].*inputPerMTok/);
    assert.deepEqual(mergePrices(DEFAULT_PRICES, undefined).errors, []);
    assert.equal(mergePrices(DEFAULT_PRICES, [1]).errors.length, 1);
  });
});
