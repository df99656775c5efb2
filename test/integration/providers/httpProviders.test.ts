// Both HTTP wire formats against the loopback fake server: success, retries (429 + Retry-After,
// 5xx), timeouts, malformed and truncated bodies, auth errors and cancellation.
import assert from 'node:assert/strict';
import { createProvider } from '../../../src/core/providers/createProvider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelProvider, ProviderContext, ProviderRequest, RetryInfo } from '../../../src/core/providers/types';
import { type FakeLlmServer, behaviors, startFakeLlmServer } from '../../helpers/fakeLlmServer';

const KEY = 'sk-test-loopback-0123456789';

const req = (prompt: string, params: ProviderRequest['params'] = {}): ProviderRequest => ({
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: prompt },
  ],
  params,
  renderedText: `You are terse.\n${prompt}`,
});

const signal = () => new AbortController().signal;

for (const format of ['openai', 'anthropic'] as const) {
  describe(`providers/${format} against the fake server`, function () {
    let server: FakeLlmServer;
    beforeEach(async () => {
      server = await startFakeLlmServer({ requireApiKey: KEY });
    });
    afterEach(async () => server.stop());

    function provider(ctx: ProviderContext = {}, over: Record<string, unknown> = {}): ModelProvider {
      const fast: ProviderContext = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, env: {}, ...ctx };
      return format === 'openai'
        ? createProvider({ kind: 'openai', model: 'gpt-4o-mini', baseUrl: `${server.url}/v1`, apiKey: KEY, ...over } as never, fast)
        : createProvider({ kind: 'anthropic', model: 'claude-3-5-haiku-latest', baseUrl: server.url, apiKey: KEY, ...over } as never, fast);
    }

    it('completes, mapping text, usage, finish reason and cost', async () => {
      server.setBehavior(behaviors.answers({ 'What is 2+2?': 'Four.' }));
      const res = await provider().complete(req('What is 2+2?', { temperature: 0, max_tokens: 20, stop: ['END'] }), signal());
      assert.equal(res.text, 'Four.');
      assert.equal(res.cached, false);
      assert.equal(res.attempts, 1);
      assert.ok(res.usage && res.usage.inputTokens > 0 && res.usage.outputTokens > 0);
      assert.ok(res.costUsd !== undefined && res.costUsd > 0);
      assert.equal(res.finishReason, format === 'openai' ? 'stop' : 'end_turn');
      assert.ok(res.latencyMs >= 0);

      const [r] = server.requests;
      const body = r!.body as Record<string, unknown>;
      if (format === 'openai') {
        assert.equal(r!.url, '/v1/chat/completions');
        assert.equal(r!.headers.authorization, `Bearer ${KEY}`);
        assert.deepEqual(body.stop, ['END']);
        assert.equal((body.messages as unknown[]).length, 2);
      } else {
        assert.equal(r!.url, '/v1/messages');
        assert.equal(r!.headers['x-api-key'], KEY);
        assert.equal(r!.headers['anthropic-version'], '2023-06-01');
        assert.equal(body.system, 'You are terse.');
        assert.deepEqual(body.stop_sequences, ['END']);
        assert.equal(body.max_tokens, 20);
      }
      assert.equal(body.temperature, 0);
    });

    it('reports the max-tokens finish reason', async () => {
      server.setBehavior(behaviors.always({ type: 'reply', text: 'word '.repeat(100) }));
      const res = await provider().complete(req('long please', { max_tokens: 5 }), signal());
      assert.equal(res.finishReason, format === 'openai' ? 'length' : 'max_tokens');
      assert.equal(res.text.length, 20);
    });

    it('honours Retry-After (seconds) on 429: the retry arrives no earlier than asked', async () => {
      server.setBehavior(behaviors.rateLimitedThen(1, { 'retry-after': '1' }));
      const retries: RetryInfo[] = [];
      const res = await provider({ onRetry: (i) => retries.push(i) }).complete(req('hello'), signal());
      assert.equal(res.text, 'hello');
      assert.equal(res.attempts, 2);
      assert.equal(server.requests.length, 2);
      const [first, second] = server.requests;
      assert.equal(first!.status, 429);
      assert.ok(second!.receivedAt - first!.respondedAt! >= 1000, `waited ${second!.receivedAt - first!.respondedAt!} ms`);
      assert.deepEqual(retries.map((r) => [r.retry, r.delayMs, r.error.kind, r.error.status]), [[1, 1000, 'rate_limited', 429]]);
    });

    it('honours retry-after-ms on repeated 429s', async () => {
      server.setBehavior(behaviors.rateLimitedThen(2, { 'retry-after-ms': '150', 'retry-after': '30' }));
      const res = await provider().complete(req('hello'), signal());
      assert.equal(res.attempts, 3);
      const [a, b, c] = server.requests;
      assert.ok(b!.receivedAt - a!.respondedAt! >= 150);
      assert.ok(c!.receivedAt - b!.respondedAt! >= 150);
    });

    it('gives up on 429 after maxRetries with a rate_limited error', async () => {
      server.setBehavior(behaviors.rateLimitedThen(10, { 'retry-after-ms': '1' }));
      await assert.rejects(provider({ retry: { maxRetries: 2, baseDelayMs: 1 } }).complete(req('x'), signal()), (e: ProviderError) => {
        assert.equal(e.kind, 'rate_limited');
        assert.equal(e.status, 429);
        assert.equal(e.attempts, 3);
        assert.match(e.message, /HTTP 429/);
        return true;
      });
      assert.equal(server.requests.length, 3);
    });

    it('retries 5xx then succeeds', async () => {
      server.setBehavior(behaviors.failThen(2, format === 'anthropic' ? 529 : 503));
      const res = await provider().complete(req('after outage'), signal());
      assert.equal(res.text, 'after outage');
      assert.equal(res.attempts, 3);
      assert.deepEqual(server.requests.map((r) => r.status), [format === 'anthropic' ? 529 : 503, format === 'anthropic' ? 529 : 503, 200]);
    });

    it('times out a slow reply (retryable), closing each attempt', async () => {
      server.setBehavior(behaviors.always({ type: 'reply', text: 'late', latencyMs: 5000 }));
      await assert.rejects(provider({ timeoutMs: 150, retry: { maxRetries: 1, baseDelayMs: 1 } }).complete(req('x'), signal()), (e: ProviderError) => {
        assert.equal(e.kind, 'timeout');
        assert.equal(e.retryable, true);
        assert.equal(e.attempts, 2);
        assert.match(e.message, /within 150 ms/);
        return true;
      });
      assert.equal(server.requests.length, 2);
      await Promise.all(server.requests.map((r) => server.waitForClientClose(r)));
    });

    it('malformed JSON → bad_response with a snippet, not retried', async () => {
      server.setBehavior(behaviors.always({ type: 'malformed' }));
      await assert.rejects(provider().complete(req('x'), signal()), (e: ProviderError) => {
        assert.equal(e.kind, 'bad_response');
        assert.equal(e.retryable, false);
        assert.match(e.message, /not JSON: "\{"id": "chatcmpl-broken"/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });

    it('a JSON body of the wrong shape → bad_response', async () => {
      server.setBehavior(behaviors.always({ type: 'wrongShape' }));
      await assert.rejects(provider().complete(req('x'), signal()), (e: ProviderError) => e.kind === 'bad_response' && /unexpected shape/.test(e.message));
    });

    it('a truncated body → network error, retried', async () => {
      let n = 0;
      server.setBehavior((input) => (n++ === 0 ? { type: 'truncated' } : behaviors.echo()(input)));
      const res = await provider().complete(req('second time lucky'), signal());
      assert.equal(res.text, 'second time lucky');
      assert.equal(res.attempts, 2);
    });

    it('401 → auth error naming the env var and the Set API Key command, without the key', async () => {
      await assert.rejects(provider({}, { apiKey: 'sk-wrong-key-xyz' }).complete(req('x'), signal()), (e: ProviderError) => {
        assert.equal(e.kind, 'auth');
        assert.equal(e.status, 401);
        assert.equal(e.retryable, false);
        assert.match(e.message, /HTTP 401/);
        assert.match(e.message, format === 'openai' ? /OPENAI_API_KEY/ : /ANTHROPIC_API_KEY/);
        assert.match(e.message, /Prompt Ledger: Set API Key/);
        assert.doesNotMatch(e.message, /sk-wrong-key-xyz/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });

    it('a missing key fails before any request, naming the env var', async () => {
      await assert.rejects(provider({ env: {} }, { apiKey: undefined, apiKeyEnv: 'MY_LLM_KEY' }).complete(req('x'), signal()), (e: ProviderError) => {
        assert.equal(e.kind, 'auth');
        assert.match(e.message, /MY_LLM_KEY/);
        assert.match(e.message, /Prompt Ledger: Set API Key/);
        return true;
      });
      assert.equal(server.requests.length, 0);
    });

    it('finds the key in secrets, then in the environment', async () => {
      const envName = format === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
      const viaSecrets = await provider({ secrets: async (n) => (n === envName ? KEY : undefined) }, { apiKey: undefined }).complete(req('s'), signal());
      assert.equal(viaSecrets.text, 's');
      const viaEnv = await provider({ env: { [envName]: KEY } }, { apiKey: undefined }).complete(req('e'), signal());
      assert.equal(viaEnv.text, 'e');
    });

    it('cancellation mid-request rejects promptly and the server sees the socket close', async () => {
      server.setBehavior(behaviors.always({ type: 'hang' }));
      const ac = new AbortController();
      const pending = provider().complete(req('x'), ac.signal);
      const rec = await server.waitForRequest();
      ac.abort();
      await assert.rejects(pending, (e: ProviderError) => e.kind === 'cancelled' && e.retryable === false);
      await server.waitForClientClose(rec);
      assert.equal(rec.clientClosedEarly, true);
      assert.equal(server.requests.length, 1, 'no retry after cancel');
    });

    it('cancellation during a Retry-After wait stops without another request', async () => {
      server.setBehavior(behaviors.rateLimitedThen(1, { 'retry-after': '60' }));
      const ac = new AbortController();
      const pending = provider({ onRetry: () => ac.abort() }).complete(req('x'), ac.signal);
      await assert.rejects(pending, (e: ProviderError) => e.kind === 'cancelled');
      assert.equal(server.requests.length, 1);
    });

    it('a refused connection → network error', async () => {
      const url = server.url;
      await server.stop();
      const p =
        format === 'openai'
          ? createProvider({ kind: 'openai', model: 'm', baseUrl: `${url}/v1`, apiKey: KEY }, { retry: { maxRetries: 1, baseDelayMs: 1 } })
          : createProvider({ kind: 'anthropic', model: 'm', baseUrl: url, apiKey: KEY }, { retry: { maxRetries: 1, baseDelayMs: 1 } });
      await assert.rejects(p.complete(req('x'), signal()), (e: ProviderError) => e.kind === 'network' && e.attempts === 2 && /ECONNREFUSED/.test(e.message));
      server = await startFakeLlmServer(); // for afterEach
    });
  });
}

describe('providers/openai Azure flavour and keyless local servers', () => {
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.stop());

  it('calls the deployment URL with api-version and an api-key header', async () => {
    const p = createProvider(
      { kind: 'openai', model: 'gpt-4o', baseUrl: server.url, azureApiVersion: '2024-10-21', deployment: 'prod-4o' },
      { env: { AZURE_OPENAI_API_KEY: 'azure-key' } },
    );
    const res = await p.complete(req('azure hi'), signal());
    assert.equal(res.text, 'azure hi');
    const r = server.requests.at(-1)!;
    assert.equal(r.url, '/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
    assert.equal(r.headers['api-key'], 'azure-key');
    assert.equal(r.headers.authorization, undefined);
  });

  it('noAuth sends no Authorization header when no key is configured (Ollama, llama.cpp)', async () => {
    const p = createProvider({ kind: 'openai', model: 'llama3.1', baseUrl: `${server.url}/v1`, noAuth: true }, { env: {} });
    const res = await p.complete(req('local'), signal());
    assert.equal(res.text, 'local');
    assert.equal(res.costUsd, undefined, 'no price for local models');
    assert.equal(server.requests.at(-1)!.headers.authorization, undefined);
  });
});
