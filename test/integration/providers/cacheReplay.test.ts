// The response cache with a real provider and the fake server: the second identical call is
// served from disk with no request, and the cache survives into a fresh process-like setup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProvider } from '../../../src/core/providers/createProvider';
import { ResponseCache, withCache } from '../../../src/core/providers/responseCache';
import type { ProviderRequest } from '../../../src/core/providers/types';
import { type FakeLlmServer, behaviors, startFakeLlmServer } from '../../helpers/fakeLlmServer';

const KEY = 'sk-cache-test-secret-value';
const req = (prompt: string, temperature = 0): ProviderRequest => ({
  messages: [{ role: 'user', content: prompt }],
  params: { temperature },
  renderedText: prompt,
});
const signal = () => new AbortController().signal;

describe('providers/response cache replay', () => {
  let server: FakeLlmServer;
  let dir: string;
  beforeEach(async () => {
    server = await startFakeLlmServer({ behavior: behaviors.answers({ capital: 'Paris' }, { latencyMs: 20 }) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cache-it-'));
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ['openai', 'anthropic'] as const) {
    it(`${format}: second identical call comes from disk; a changed param goes to the server`, async () => {
      const inner =
        format === 'openai'
          ? createProvider({ kind: 'openai', model: 'gpt-4o-mini', baseUrl: `${server.url}/v1`, apiKey: KEY })
          : createProvider({ kind: 'anthropic', model: 'claude-3-5-haiku-latest', baseUrl: server.url, apiKey: KEY });
      const cache = new ResponseCache(dir);
      const p = withCache(inner, cache, { enabled: true });

      const first = await p.complete(req('capital'), signal());
      const second = await p.complete(req('capital'), signal());
      assert.equal(server.requests.length, 1, 'served from disk');
      assert.equal(first.cached, false);
      assert.equal(second.cached, true);
      assert.equal(second.text, 'Paris');
      assert.deepEqual(second.usage, first.usage);
      assert.equal(second.costUsd, first.costUsd);
      assert.equal(second.latencyMs, first.latencyMs, 'the recorded latency is replayed');

      await p.complete(req('capital', 0.7), signal());
      assert.equal(server.requests.length, 2, 'different params → a real call');
      assert.deepEqual(cache.stats(), { hits: 1, misses: 2, writes: 2 });

      // Offline replay: server gone, a new cache object over the same folder still answers.
      await server.stop();
      const offline = withCache(inner, new ResponseCache(dir), { enabled: true });
      assert.equal((await offline.complete(req('capital'), signal())).text, 'Paris');
      server = await startFakeLlmServer();

      // The key never reaches the disk.
      const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 2);
      for (const f of files) assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), new RegExp(KEY));
    });
  }

  it('command provider results are cached too', async () => {
    const inner = createProvider({ kind: 'command', command: 'sh', args: ['-c', 'echo "$RANDOM$$"'], input: 'stdin' });
    const p = withCache(inner, new ResponseCache(dir), { enabled: true });
    const a = await p.complete(req('same'), signal());
    const b = await p.complete(req('same'), signal());
    assert.equal(b.cached, true);
    assert.equal(b.text, a.text);
  });
});
