import assert from 'node:assert/strict';
import { isProviderError } from '../../../src/core/providers/providerError';
import { RateLimiter, TokenBucket, reservedTokens, sharedRateLimiter } from '../../../src/core/providers/rateLimiter';

/** Whether p has settled after the limiter's timers had `ms` to run. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setTimeout(r, ms));
  return done;
}

describe('providers/rateLimiter', () => {
  describe('TokenBucket (explicit clock)', () => {
    it('starts with one unit and accrues at its rate, up to 100 ms of it', () => {
      const b = new TokenBucket(600, 0); // 10 a second: one per 100 ms, capacity 1
      assert.equal(b.waitMs(1, 0), 0);
      b.take(1, 0);
      assert.equal(b.waitMs(1, 0), 100);
      assert.equal(b.waitMs(1, 50), 50);
      assert.equal(b.waitMs(1, 10_000), 0);
      assert.equal(b.available, 1, 'a long lull does not buy a burst');
      const big = new TokenBucket(60_000, 0); // 1 per ms: holds 100
      assert.equal(big.waitMs(100, 1_000_000), 0);
      assert.equal(big.available, 100);
    });

    it('a take larger than the capacity waits for a full bucket and leaves debt', () => {
      const b = new TokenBucket(60_000, 0); // capacity 100
      assert.equal(b.waitMs(500, 0), 99, 'waits for the full 100, not for 500');
      b.take(500, 100);
      assert.equal(b.available, -400);
      assert.equal(b.waitMs(1, 100), 401);
    });

    it('drain(now, until): empty, and nothing accrues before until', () => {
      const b = new TokenBucket(60_000, 0);
      b.drain(200, 1200);
      assert.equal(b.waitMs(1, 1000), 1201 - 1000);
      assert.equal(b.waitMs(1, 1201), 0);
    });
  });

  describe('RateLimiter', () => {
    it('lets calls through in order at the rate; an aborted waiter leaves and rejects as cancelled', async () => {
      let now = 0;
      const l = new RateLimiter({ rpm: 600 }, () => now);
      const ac = new AbortController();
      await l.acquire(0, ac.signal);
      const second = l.acquire(0, ac.signal);
      const quitter = new AbortController();
      const third = l.acquire(0, quitter.signal);
      const fourth = l.acquire(0, ac.signal);
      assert.equal(await settledWithin(second, 20), false, 'no token yet');
      quitter.abort();
      await assert.rejects(third, (e) => isProviderError(e) && e.kind === 'cancelled');
      now = 100;
      assert.equal(await settledWithin(second, 500), true);
      assert.equal(await settledWithin(fourth, 20), false, 'one token per 100 ms');
      now = 200;
      assert.equal(await settledWithin(fourth, 500), true);
    });

    it('a 429 holds every new call back for the server\'s wait and slows the rate once per pause', async () => {
      let now = 0;
      const l = new RateLimiter({ rpm: 6000 }, () => now);
      const ac = new AbortController();
      l.throttled(1000);
      l.throttled(1000); // the same full window seen by another call in flight
      assert.equal(l.rateFactor, 0.7);
      now = 500;
      const held = l.acquire(0, ac.signal);
      assert.equal(await settledWithin(held, 30), false, 'paused although tokens would allow it');
      now = 1100;
      assert.equal(await settledWithin(held, 1200), true);
      for (let i = 0; i < 10; i++) l.succeeded();
      assert.ok(Math.abs(l.rateFactor - 0.75) < 1e-9, 'successes win the rate back slowly');
    });

    it('tokens: reserves the estimate before a call and settles the real usage after', async () => {
      let now = 0;
      const l = new RateLimiter({ tpm: 600_000 }, () => now); // 10 a ms: holds 1,000
      const ac = new AbortController();
      now = 1000;
      await l.acquire(800, ac.signal);
      l.settle(800, 3000); // used far more than estimated: 2,200 of debt on top
      const next = l.acquire(10, ac.signal);
      assert.equal(await settledWithin(next, 20), false);
      now = 1000 + 201;
      assert.equal(await settledWithin(next, 700), true);
    });

    it('one limiter per endpoint key, reconfigured by a later suite; none without limits', () => {
      assert.equal(sharedRateLimiter('k-none', {}), undefined);
      const a = sharedRateLimiter('k-shared', { rpm: 60 });
      assert.equal(sharedRateLimiter('k-shared', { rpm: 120 }), a);
      assert.notEqual(sharedRateLimiter('k-other', { rpm: 60 }), a);
    });

    it('reserves the prompt estimate plus max_tokens', () => {
      const messages = [{ role: 'user' as const, content: 'x'.repeat(400) }];
      assert.equal(reservedTokens({ messages, params: {}, renderedText: '' }), 3 + 4 + 100);
      assert.equal(reservedTokens({ messages, params: { max_tokens: 50 }, renderedText: '' }), 157);
    });
  });
});
