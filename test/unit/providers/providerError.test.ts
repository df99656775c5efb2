import assert from 'node:assert/strict';
import { redactUrl } from '../../../src/core/providers/postJson';
import { ProviderError, isProviderError, kindForStatus, snippet } from '../../../src/core/providers/providerError';

describe('providers/ProviderError', () => {
  it('maps HTTP statuses to kinds', () => {
    assert.deepEqual(
      [400, 401, 403, 404, 408, 422, 429, 500, 502, 503, 529].map(kindForStatus),
      ['bad_request', 'auth', 'auth', 'bad_request', 'timeout', 'bad_request', 'rate_limited', 'server', 'server', 'server', 'server'],
    );
  });
  it('marks only transient kinds retryable', () => {
    const retryable = (['rate_limited', 'server', 'timeout', 'network', 'bad_response', 'auth', 'bad_request', 'cancelled', 'command_failed', 'config'] as const).filter(
      (k) => new ProviderError(k, 'x').retryable,
    );
    assert.deepEqual(retryable, ['rate_limited', 'server', 'timeout', 'network']);
  });
  it('is recognisable and carries status and server wait', () => {
    const e = new ProviderError('rate_limited', 'slow down', { status: 429, retryAfterMs: 1500 });
    assert.ok(isProviderError(e) && e instanceof Error);
    assert.equal(e.name, 'ProviderError');
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterMs, 1500);
    assert.equal(isProviderError(new Error('x')), false);
  });
  it('snippet flattens and shortens bodies', () => {
    assert.equal(snippet('a\n  b\tc'), 'a b c');
    assert.equal(snippet('x'.repeat(300)).length, 201);
  });
  it('redactUrl drops credentials and query strings', () => {
    assert.equal(redactUrl('https://u:p@host.example/path?api-key=secret'), 'https://host.example/path');
  });
});
