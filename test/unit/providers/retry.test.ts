import assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/providers/providerError';
import {
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  backoffDelayMs,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayFor,
  withRetry,
} from '../../../src/core/providers/retry';
import type { RetryInfo } from '../../../src/core/providers/types';

const headers = (h: Record<string, string>) => new Headers(h);

describe('providers/retry', () => {
  describe('parseRetryAfter', () => {
    it('reads delta-seconds', () => {
      assert.equal(parseRetryAfter(headers({ 'retry-after': '3' })), 3000);
      assert.equal(parseRetryAfter(headers({ 'retry-after': '0.5' })), 500);
    });
    it('reads an HTTP date relative to now', () => {
      const now = Date.parse('2025-01-01T00:00:00Z');
      assert.equal(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7000);
      assert.equal(parseRetryAfter(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now), 0);
    });
    it('prefers retry-after-ms', () => {
      assert.equal(parseRetryAfter(headers({ 'retry-after': '3', 'retry-after-ms': '250' })), 250);
    });
    it('ignores absent or garbage values', () => {
      assert.equal(parseRetryAfter(headers({})), undefined);
      assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' })), undefined);
      assert.equal(parseRetryAfter(headers({ 'retry-after-ms': 'x', 'retry-after': '2' })), 2000);
    });
  });

  describe('backoff', () => {
    it('has the documented defaults', () => {
      assert.deepEqual(
        { ...DEFAULT_RETRY_POLICY },
        { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, respectRetryAfter: true, maxRetryAfterMs: 120_000 },
      );
    });
    it('doubles the ceiling per retry up to the cap (full jitter scales it)', () => {
      const p = DEFAULT_RETRY_POLICY;
      const top = () => 0.999999;
      assert.deepEqual(
        [0, 1, 2, 3, 6, 7, 10].map((i) => backoffDelayMs(i, p, top)),
        [499, 999, 1999, 3999, 29_999, 29_999, 29_999],
      );
      assert.equal(backoffDelayMs(3, p, () => 0), 0);
      assert.equal(backoffDelayMs(2, p, () => 0.5), 1000);
    });
    it('retries only retryable kinds and honours a server wait exactly', () => {
      const p = DEFAULT_RETRY_POLICY;
      const half = () => 0.5;
      assert.equal(retryDelayFor(new ProviderError('server', 'x', { status: 500 }), 0, p, half), 250);
      assert.equal(retryDelayFor(new ProviderError('network', 'x'), 1, p, half), 500);
      assert.equal(retryDelayFor(new ProviderError('timeout', 'x'), 0, p, half), 250);
      assert.equal(retryDelayFor(new ProviderError('rate_limited', 'x', { retryAfterMs: 7000 }), 0, p, half), 7000);
      for (const kind of ['auth', 'bad_request', 'bad_response', 'cancelled', 'command_failed', 'config'] as const) {
        assert.equal(retryDelayFor(new ProviderError(kind, 'x'), 0, p, half), undefined, kind);
      }
      assert.equal(retryDelayFor(new Error('plain'), 0, p, half), undefined);
      assert.equal(retryDelayFor(new ProviderError('server', 'x'), 4, p, half), undefined, 'retries used up');
    });
    it('gives up instead of waiting longer than maxRetryAfterMs, and can ignore Retry-After', () => {
      const p = resolveRetryPolicy({ maxRetryAfterMs: 5000 });
      assert.equal(retryDelayFor(new ProviderError('rate_limited', 'x', { retryAfterMs: 6000 }), 0, p), undefined);
      const ignore = resolveRetryPolicy({ respectRetryAfter: false });
      assert.equal(retryDelayFor(new ProviderError('rate_limited', 'x', { retryAfterMs: 6000 }), 0, ignore, () => 0.5), 250);
    });
    it('rejects a negative policy', () => {
      assert.throws(() => resolveRetryPolicy({ maxRetries: -1 }), (e: ProviderError) => e.kind === 'config');
    });
  });

  describe('withRetry (injected sleep, no real waits)', () => {
    function script(results: (Error | string)[]) {
      let i = 0;
      return async () => {
        const r = results[i++];
        if (r === undefined) throw new Error('no more results');
        if (r instanceof Error) throw r;
        return r;
      };
    }

    it('retries 5xx then succeeds, sleeping the backoff delays in order', async () => {
      const slept: number[] = [];
      const infos: RetryInfo[] = [];
      const out = await withRetry(
        script([new ProviderError('server', 'a', { status: 502 }), new ProviderError('network', 'b'), 'ok']),
        {
          policy: DEFAULT_RETRY_POLICY,
          signal: new AbortController().signal,
          providerId: 'p',
          random: () => 0.999999,
          sleep: async (ms) => void slept.push(ms),
          onRetry: (i) => infos.push(i),
        },
      );
      assert.deepEqual(out, { value: 'ok', attempts: 3 });
      assert.deepEqual(slept, [499, 999]);
      assert.deepEqual(infos.map((i) => [i.retry, i.error.kind, i.error.status]), [[1, 'server', 502], [2, 'network', undefined]]);
    });

    it('uses the Retry-After wait for 429', async () => {
      const slept: number[] = [];
      await withRetry(script([new ProviderError('rate_limited', 'r', { status: 429, retryAfterMs: 2000 }), 'ok']), {
        policy: DEFAULT_RETRY_POLICY,
        signal: new AbortController().signal,
        providerId: 'p',
        sleep: async (ms) => void slept.push(ms),
      });
      assert.deepEqual(slept, [2000]);
    });

    it('stops after maxRetries and reports the attempts on the error', async () => {
      let calls = 0;
      await assert.rejects(
        withRetry(
          async () => {
            calls++;
            throw new ProviderError('server', 'down', { status: 503 });
          },
          { policy: resolveRetryPolicy({ maxRetries: 2 }), signal: new AbortController().signal, providerId: 'p', sleep: async () => {} },
        ),
        (e: ProviderError) => e.kind === 'server' && e.attempts === 3,
      );
      assert.equal(calls, 3);
    });

    it('does not retry auth errors', async () => {
      let calls = 0;
      await assert.rejects(
        withRetry(
          async () => {
            calls++;
            throw new ProviderError('auth', 'no key');
          },
          { policy: DEFAULT_RETRY_POLICY, signal: new AbortController().signal, providerId: 'p', sleep: async () => {} },
        ),
        (e: ProviderError) => e.kind === 'auth' && e.attempts === 1,
      );
      assert.equal(calls, 1);
    });

    it('turns an abort during the backoff wait into cancelled, promptly', async () => {
      const ac = new AbortController();
      const p = withRetry(script([new ProviderError('server', 'x'), 'never']), {
        policy: resolveRetryPolicy({ baseDelayMs: 60_000, maxDelayMs: 60_000 }),
        signal: ac.signal,
        providerId: 'p',
        random: () => 0.99,
      });
      setImmediate(() => ac.abort());
      await assert.rejects(p, (e: ProviderError) => e.kind === 'cancelled' && e.retryable === false);
    });

    it('abortableSleep resolves, and rejects at once on an aborted signal', async () => {
      await abortableSleep(1, new AbortController().signal);
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(abortableSleep(10_000, ac.signal), (e: ProviderError) => e.kind === 'cancelled');
    });
  });
});
