import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProvider } from '../../../src/core/providers/createProvider';
import { ResponseCache, cacheKeyFor, canonicalJson, withCache } from '../../../src/core/providers/responseCache';
import type { ModelProvider, ProviderRequest } from '../../../src/core/providers/types';

const req: ProviderRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Summarise: cats' },
  ],
  params: { temperature: 0, max_tokens: 50 },
  renderedText: 'Be brief.\nSummarise: cats',
};
const openai = (over: Record<string, unknown> = {}) =>
  createProvider({ kind: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:1/v1', ...over } as never);

describe('providers/responseCache', () => {
  it('canonicalJson sorts keys at every level and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: undefined, x: 2 }], c: null } }), '{"a":{"c":null,"d":[{"x":2,"z":1}]},"b":1}');
  });

  it('key is stable and independent of key order', () => {
    const k1 = cacheKeyFor(openai(), req);
    const k2 = cacheKeyFor(openai(), { ...req, params: { max_tokens: 50, temperature: 0 } });
    assert.equal(k1, k2);
    assert.match(k1, /^[0-9a-f]{64}$/);
  });

  it('key changes with params, messages, model and base URL', () => {
    const base = cacheKeyFor(openai(), req);
    const variants = [
      cacheKeyFor(openai(), { ...req, params: { ...req.params, temperature: 0.1 } }),
      cacheKeyFor(openai(), { ...req, params: { ...req.params, seed: 1 } }),
      cacheKeyFor(openai(), { ...req, messages: [...req.messages.slice(0, 1), { role: 'user', content: 'Summarise: dogs' }] }),
      cacheKeyFor(openai(), { ...req, messages: [{ role: 'user', content: 'Be brief.' }, req.messages[1]!] }),
      cacheKeyFor(openai({ model: 'gpt-4o' }), req),
      cacheKeyFor(openai({ baseUrl: 'http://127.0.0.1:2/v1' }), req),
      cacheKeyFor(createProvider({ kind: 'anthropic', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:1/v1' }), req),
    ];
    assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  });

  it('key does not change with the API key or header values', () => {
    const base = cacheKeyFor(openai({ apiKey: 'sk-one', headers: { 'x-tenant': 'a' } }), req);
    assert.equal(cacheKeyFor(openai({ apiKey: 'sk-two', headers: { 'x-tenant': 'a' } }), req), base);
    assert.equal(cacheKeyFor(openai({ apiKeyEnv: 'OTHER', headers: { 'x-tenant': 'b' } }), req), base);
  });

  it('renderedText counts for command providers only', () => {
    const cmd = createProvider({ kind: 'command', command: 'cat', input: 'stdin' });
    assert.notEqual(cacheKeyFor(cmd, req), cacheKeyFor(cmd, { ...req, renderedText: 'other' }));
    assert.equal(cacheKeyFor(openai(), req), cacheKeyFor(openai(), { ...req, renderedText: 'other' }));
    const cmdEnv = (v: string) => createProvider({ kind: 'command', command: 'cat', input: 'stdin', env: { TOKEN: v } });
    assert.equal(cacheKeyFor(cmdEnv('secret-1'), req), cacheKeyFor(cmdEnv('secret-2'), req), 'env values stay out of the key');
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cache-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function counting(): ModelProvider & { calls: number } {
      const p = {
        id: 'fake:m',
        kind: 'openai' as const,
        model: 'm',
        cacheIdentity: { url: 'http://127.0.0.1:1' },
        calls: 0,
        async complete(r: ProviderRequest) {
          p.calls++;
          return { text: `answer ${r.messages.at(-1)!.content}`, usage: { inputTokens: 3, outputTokens: 2 }, latencyMs: 12, cached: false, attempts: 1 };
        },
      };
      return p;
    }

    it('stores one file per key and replays with cached: true', async () => {
      const inner = counting();
      const cache = new ResponseCache(dir);
      const p = withCache(inner, cache, { enabled: true });
      const first = await p.complete(req, new AbortController().signal);
      const second = await p.complete(req, new AbortController().signal);
      assert.equal(inner.calls, 1);
      assert.equal(first.cached, false);
      assert.deepEqual(second, { text: 'answer Summarise: cats', usage: { inputTokens: 3, outputTokens: 2 }, latencyMs: 12, cached: true });
      assert.deepEqual(cache.stats(), { hits: 1, misses: 1, writes: 1 });
      assert.equal(cache.hitRate(), 0.5);
      const key = cacheKeyFor(inner, req);
      assert.ok(fs.existsSync(cache.fileFor(key)));
      const files = fs.readdirSync(path.dirname(cache.fileFor(key)));
      assert.deepEqual(files, [`${key}.json`], 'no temp files left');
      // A fresh cache object (another process, later) sees the same entry.
      const again = withCache(counting(), new ResponseCache(dir), { enabled: true });
      assert.equal((await again.complete(req, new AbortController().signal)).cached, true);
    });

    it('enabled: false neither reads nor writes', async () => {
      const inner = counting();
      const cache = new ResponseCache(dir);
      const p = withCache(inner, cache, { enabled: false });
      await p.complete(req, new AbortController().signal);
      await p.complete(req, new AbortController().signal);
      assert.equal(inner.calls, 2);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('treats a corrupt entry as a miss and repairs it', async () => {
      const inner = counting();
      const cache = new ResponseCache(dir);
      const key = cacheKeyFor(inner, req);
      fs.mkdirSync(path.dirname(cache.fileFor(key)), { recursive: true });
      fs.writeFileSync(cache.fileFor(key), '{"version":1,"key":');
      const p = withCache(inner, cache, { enabled: true });
      assert.equal((await p.complete(req, new AbortController().signal)).cached, false);
      assert.equal((await p.complete(req, new AbortController().signal)).cached, true);
    });

    it('never caches errors', async () => {
      let calls = 0;
      const failing: ModelProvider = {
        id: 'fail',
        kind: 'openai',
        async complete() {
          calls++;
          throw new Error('boom');
        },
      };
      const p = withCache(failing, new ResponseCache(dir), { enabled: true });
      await assert.rejects(p.complete(req, new AbortController().signal));
      await assert.rejects(p.complete(req, new AbortController().signal));
      assert.equal(calls, 2);
    });
  });
});
