// The providers' fetch, built on node:http(s), in the CLI and the extension host alike. Node's global
// fetch (undici) brings its own HTTP parser (WebAssembly), WebStreams and connection machinery:
// ~40 MB of RSS per process, and about twice the CPU per call (an eval at 0 ms latency spent
// 0.7–1.0 ms a case with it, 0.35–0.5 ms with this; bench/evalRunner.ts). The providers only need
// status, headers and the body text (see FetchLike). VS Code's proxy support patches node:http(s)
// for extensions, so proxies keep working in the editor.
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { MAX_CONCURRENCY } from '../eval/suiteSchema';
import type { FetchLike } from './types';
import { onAbort } from './abortFanout';

/** Response headers read by name, as fetch's Headers (methods on the prototype: nothing per call). */
class NodeHeaders {
  constructor(private readonly h: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const v = this.h[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  forEach(cb: (value: string, key: string) => void): void {
    for (const [k, v] of Object.entries(this.h)) if (v !== undefined) cb(Array.isArray(v) ? v.join(', ') : v, k);
  }
}

/** What the providers read of an answer (see FetchLike): status, headers and the body text. */
class NodeResponse {
  readonly ok: boolean;

  constructor(readonly status: number, readonly statusText: string, readonly url: string, readonly headers: NodeHeaders, private readonly body: Promise<string>) {
    this.ok = status >= 200 && status < 300;
  }

  text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.body) as unknown;
  }
}

/** The request took longer than `timeoutMs` (headers and body), as this fetch reports it. */
export class FetchTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * A fetch that takes `timeoutMs` itself (the whole exchange, headers and body), so a caller needs
 * no AbortController of its own per call for it; `signal` is then only the caller's cancellation.
 */
export type TimedFetch = FetchLike & { readonly timeouts: true };
export type TimedRequestInit = RequestInit & { timeoutMs?: number };

export function isTimedFetch(f: FetchLike): f is TimedFetch {
  return (f as Partial<TimedFetch>).timeouts === true;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  if (reason instanceof Error) return reason;
  const e = new Error('This operation was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * Sockets follow the calls in flight: the agent has no cap of its own (an eval's `concurrency`,
 * up to MAX_CONCURRENCY, is the one limit on parallel calls; a socket cap here silently queued
 * everything above it). Up to MAX_CONCURRENCY idle sockets per host are kept alive for reuse,
 * so a run at full concurrency does not reconnect between cases.
 */
export function createNodeHttpFetch(): TimedFetch {
  const agentOpts = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: MAX_CONCURRENCY };
  const agents = { 'http:': new http.Agent(agentOpts), 'https:': new https.Agent(agentOpts) };
  // An eval sends every call to the same URL: parse it (into request options) once, not per call.
  let lastInput = '';
  let lastUrl: URL | undefined;
  let lastTarget: Pick<http.RequestOptions, 'hostname' | 'port' | 'path' | 'auth'> = {};
  const fetchImpl = (input: string, init: TimedRequestInit) => new Promise<Response>((resolve, reject) => {
    if (input !== lastInput || !lastUrl) {
      lastUrl = new URL(input);
      // Only what a request needs: node:http copies its options twice per call (the request and
      // the agent), so every key left out is copied 2 × 50,000 times less in a big run.
      const { hostname, port, path, auth } = urlToHttpOptions(lastUrl);
      lastTarget = { hostname, port, path, auth };
      lastInput = input;
    }
    const url = lastUrl;
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new TypeError(`unsupported protocol ${url.protocol}`));
      return;
    }
    const headers: Record<string, string> = {};
    const given = (init.headers ?? {}) as Record<string, string>;
    for (const k in given) headers[k.toLowerCase()] = given[k];
    // The string itself goes to the socket (no Buffer copy held while the answer is awaited).
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body, 'utf8'));
    const req = lib.request({ ...lastTarget, method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] });
    // The caller's signal is often a whole run's, shared by every call in flight: joined through
    // the fan-out (one listener on it), not a listener per call.
    const leave = signal ? onAbort(signal, () => req.destroy(abortError(signal))) : undefined;
    let timedOut: FetchTimeoutError | undefined;
    const timer = init.timeoutMs !== undefined ? setTimeout(() => { timedOut = new FetchTimeoutError(init.timeoutMs!); req.destroy(timedOut); }, init.timeoutMs) : undefined;
    const done = () => { leave?.(); if (timer) clearTimeout(timer); };
    req.on('error', (err) => { done(); reject(timedOut ?? err); });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      const bodyText = new Promise<string>((ok, fail) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => { done(); ok(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')); });
        res.on('aborted', () => { done(); fail(timedOut ?? new Error('response body was cut off (connection closed early)')); });
        res.on('error', (err) => { done(); fail(timedOut ?? err); });
      });
      bodyText.catch(() => undefined); // surfaced through text()
      const status = res.statusCode ?? 0;
      resolve(new NodeResponse(status, res.statusMessage ?? '', input, new NodeHeaders(res.headers), bodyText) as unknown as Response);
    });
    if (body !== undefined) req.end(body, 'utf8');
    else req.end();
  });
  return Object.assign(fetchImpl as FetchLike, { timeouts: true as const });
}

let shared: TimedFetch | undefined;

/** One fetch (one pair of agents, so one pool of kept-alive sockets) for every provider of the process. */
export function sharedHttpFetch(): TimedFetch {
  shared ??= createNodeHttpFetch();
  return shared;
}
