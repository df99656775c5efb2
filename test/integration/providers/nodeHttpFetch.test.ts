// The providers' node:http fetch keeps the timeout itself (no AbortController per call): a reply
// that sends its headers and then stalls times out as a timeout, not a network error, and the
// caller's signal still cancels a call in flight. Against a loopback server of our own.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHttpFetch, FetchTimeoutError } from '../../../src/core/providers/nodeHttpFetch';
import { postJson } from '../../../src/core/providers/postJson';
import { ProviderError } from '../../../src/core/providers/providerError';

describe('node:http fetch: timeouts and cancellation without a controller per call', () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      // Headers and half a body, then nothing.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"choices": [');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('a reply that stalls after its headers times out (the body read rejects with the timeout)', async () => {
    const f = createNodeHttpFetch();
    const res = await f(url, { method: 'POST', body: '{}', timeoutMs: 150 } as RequestInit);
    assert.equal(res.status, 200);
    await assert.rejects(res.text(), (e: unknown) => e instanceof FetchTimeoutError);
  });

  it('postJson names it a timeout, and the caller\'s abort cancels a call in flight', async () => {
    const base = { url, headers: {}, body: {}, fetchImpl: createNodeHttpFetch(), serviceName: 'test server', authHint: '' };
    await assert.rejects(postJson({ ...base, signal: new AbortController().signal, timeoutMs: 150 }), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /within 150 ms/);
      return true;
    });
    const c = new AbortController();
    const call = postJson({ ...base, signal: c.signal, timeoutMs: 60_000 });
    setTimeout(() => c.abort(), 50);
    await assert.rejects(call, (e: unknown) => e instanceof ProviderError && e.kind === 'cancelled');
  });
});
