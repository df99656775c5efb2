// A loopback stand-in for the OpenAI chat-completions and Anthropic messages APIs, speaking their
// real wire formats (ids, `object`, usage, error bodies), with scriptable behaviours: latency,
// echo / answer maps, 429 + Retry-After, 5xx N times then success, hangs, malformed JSON,
// truncated bodies, 401, a rate limit (429 + Retry-After above N requests or tokens per window),
// a model that answers best at known sampling parameters (sweeps).
// Counts requests in flight and their maximum, so tests can see the concurrency a client really
// reaches. Cheap per request so the eval benchmark (1,000 cases × 100 ms at
// concurrency 16) measures the runner, not this server.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type WireFormat = 'openai' | 'anthropic';

export interface RecordedRequest {
  /** 0-based arrival order. */
  seq: number;
  method: string;
  /** Path with query string. */
  url: string;
  format: WireFormat | 'unknown';
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (or the raw string when it is not JSON). */
  body: unknown;
  /** performance.now() when the body had been read. Same clock as the test process. */
  receivedAt: number;
  /** performance.now() when the response was fully written; undefined if never. */
  respondedAt?: number;
  status?: number;
  /** True when the client closed the connection before we finished answering (abort/timeout). */
  clientClosedEarly: boolean;
}

export interface BehaviorInput {
  format: WireFormat;
  req: RecordedRequest;
  /** The model field of the request. */
  model: string;
  /** Content of the last user message ('' if none). */
  prompt: string;
  /** Top-level `system` (Anthropic) or joined system messages (OpenAI). */
  system: string;
  maxTokens?: number;
  stop?: string[];
  /** Sampling parameters of the request, when sent. */
  temperature?: number;
  topP?: number;
  seed?: number;
}

export type FakeAction =
  | { type: 'reply'; text: string; latencyMs?: number; usage?: { input: number; output: number } }
  | { type: 'error'; status: number; message?: string; headers?: Record<string, string>; latencyMs?: number }
  /** 200 with a body that is not JSON. */
  | { type: 'malformed'; latencyMs?: number }
  /** 200 with a JSON body of the wrong shape. */
  | { type: 'wrongShape'; latencyMs?: number }
  /** Headers promise more bytes than are sent, then the socket is destroyed. */
  | { type: 'truncated'; latencyMs?: number }
  /** Never answers (until the client gives up or the server stops). */
  | { type: 'hang' };

export type Behavior = (input: BehaviorInput) => FakeAction | Promise<FakeAction>;

export interface FakeLlmServerOptions {
  behavior?: Behavior;
  /** When set, requests without this key (Bearer / api-key / x-api-key) get a real-looking 401. */
  requireApiKey?: string;
  /** Keep request bodies in `requests` (default true; turn off for benchmarks). */
  recordBodies?: boolean;
  /**
   * Keep every request in `requests` (default true). A bench's server process turns it off: each
   * record holds the request's headers, and hundreds of thousands of them grew the server's heap,
   * and its GC time on the two cores the measured run shares, as a bench went on.
   */
  recordRequests?: boolean;
  /** Listen on this loopback port (default: a free one), e.g. to restart a bench's server where its workspaces point. */
  port?: number;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:PORT — use `${url}/v1` as an OpenAI baseUrl and `url` as an Anthropic baseUrl. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** 'request' (RecordedRequest) when a body was read; 'clientClosed' (RecordedRequest) on early close. */
  events: EventEmitter;
  setBehavior(fn: Behavior): void;
  /** Resolves with the first request (from now on or already recorded) matching pred. */
  waitForRequest(pred?: (r: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Resolves when `rec` has seen its client close early. */
  waitForClientClose(rec: RecordedRequest): Promise<void>;
  /** Requests being handled now: arrived, and neither answered nor closed by the client. */
  readonly inFlight: number;
  /** The most requests in flight at once since start (or resetStats). */
  readonly maxInFlight: number;
  /** Forgets the recorded requests and the in-flight maximum. */
  resetStats(): void;
  stop(): Promise<void>;
}

/** 32-bit FNV-1a: a stable hash for deterministic per-prompt behaviour. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

let idCounter = 0;
const nextId = (): string => (++idCounter).toString(36).padStart(8, '0') + Math.random().toString(36).slice(2, 10);

/** ~4 characters per token, like tiktoken on English; deterministic. */
export function fakeTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// ---- behaviours -------------------------------------------------------------------------------

export const behaviors = {
  /** Answers with the last user message. */
  echo(opts: { latencyMs?: number } = {}): Behavior {
    return ({ prompt }) => ({ type: 'reply', text: prompt, latencyMs: opts.latencyMs });
  },
  /** Answers from a map keyed by the last user message; fallback (default: echo) otherwise. */
  answers(map: Record<string, string>, opts: { latencyMs?: number; fallback?: string } = {}): Behavior {
    return ({ prompt }) => ({
      type: 'reply',
      text: Object.prototype.hasOwnProperty.call(map, prompt) ? map[prompt]! : (opts.fallback ?? prompt),
      latencyMs: opts.latencyMs,
    });
  },
  /** The first `times` requests get 429 with the given headers, then `then`. */
  rateLimitedThen(times: number, headers: Record<string, string>, then: Behavior = behaviors.echo()): Behavior {
    let n = 0;
    return (input) =>
      n++ < times ? { type: 'error', status: 429, headers, message: 'Rate limit reached for requests' } : then(input);
  },
  /** The first `times` requests fail with `status` (default 500), then `then`. */
  failThen(times: number, status = 500, then: Behavior = behaviors.echo()): Behavior {
    let n = 0;
    return (input) => (n++ < times ? { type: 'error', status } : then(input));
  },
  /**
   * A model that answers best at known sampling parameters (for sweeps): the closer the request's
   * temperature / top_p are to `best`, the more cases it gets right. Quality is
   * q = 1 − Σ |x − best| × `slope` (default 1 per unit); a case is right when its rank
   * (`rank(prompt)` in [0, 1), default a hash of the prompt) is below q, so the pass rate falls
   * off smoothly with the distance and only the exact best answers every case. A right answer
   * echoes the prompt; a wrong one says "no idea". Replies grow by `wordsPerTemperature` words per
   * unit of temperature (longer answers cost more), so cost and quality pull apart.
   */
  bestAt(best: { temperature?: number; topP?: number }, opts: { slope?: number; rank?: (prompt: string) => number; wordsPerTemperature?: number; latencyMs?: number } = {}): Behavior {
    const slope = opts.slope ?? 1;
    const rank = opts.rank ?? ((p: string) => fnv1a(p) / 2 ** 32);
    return ({ prompt, temperature, topP }) => {
      let q = 1;
      if (best.temperature !== undefined) q -= Math.abs((temperature ?? 1) - best.temperature) * slope;
      if (best.topP !== undefined) q -= Math.abs((topP ?? 1) - best.topP) * slope;
      const padding = ' more'.repeat(Math.round((temperature ?? 1) * (opts.wordsPerTemperature ?? 0)));
      // A tolerance for float noise in the parameters (0.1 × 7 ≠ 0.7).
      const right = rank(prompt) < q - 1e-9 || q >= 1 - 1e-9;
      return { type: 'reply', text: (right ? prompt : 'no idea') + padding, latencyMs: opts.latencyMs };
    };
  },
  always(action: FakeAction): Behavior {
    return () => action;
  },
  /**
   * A provider's rate limit: at most `rpm` requests and `tpm` tokens (prompt + answer, counted as
   * fakeTokenCount does) per `windowMs` (default 60 s), in a sliding window. Above it: 429 with
   * `Retry-After` (whole seconds, rounded up) until the oldest served request leaves the window.
   * Rejected requests count toward nothing. `stats.limited` counts the 429s.
   */
  rateLimited(opts: { rpm?: number; tpm?: number; windowMs?: number; then?: Behavior }): Behavior & { stats: { limited: number; served: number } } {
    const windowMs = opts.windowMs ?? 60_000;
    const then = opts.then ?? behaviors.echo();
    const served: { at: number; tokens: number }[] = [];
    const stats = { limited: 0, served: 0 };
    const fn = async (input: BehaviorInput): Promise<FakeAction> => {
      const now = performance.now();
      while (served.length && served[0]!.at <= now - windowMs) served.shift();
      const action = await then(input);
      const tokens = fakeTokenCount(input.system + input.prompt) + (action.type === 'reply' ? fakeTokenCount(action.text) : 0);
      const used = served.reduce((n, x) => n + x.tokens, 0);
      const overRequests = opts.rpm !== undefined && served.length >= opts.rpm;
      const overTokens = opts.tpm !== undefined && served.length > 0 && used + tokens > opts.tpm;
      if (overRequests || overTokens) {
        stats.limited++;
        // Until the oldest served request leaves the window (a retry may find it still full).
        const waitMs = Math.max(1, served[0]!.at + windowMs - now);
        return {
          type: 'error', status: 429,
          message: overRequests ? 'Rate limit reached for requests' : 'Rate limit reached for tokens per min',
          headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
        };
      }
      served.push({ at: now, tokens });
      stats.served++;
      return action;
    };
    return Object.assign(fn, { stats });
  },
};

// ---- wire formats -----------------------------------------------------------------------------

function applyLimits(text: string, input: BehaviorInput): { text: string; stopped: 'stop' | 'length' | 'stop_sequence'; stopSeq?: string } {
  let out = text;
  let stopped: 'stop' | 'length' | 'stop_sequence' = 'stop';
  let stopSeq: string | undefined;
  for (const s of input.stop ?? []) {
    const i = out.indexOf(s);
    if (s && i >= 0) {
      out = out.slice(0, i);
      stopped = 'stop_sequence';
      stopSeq = s;
    }
  }
  if (input.maxTokens !== undefined && fakeTokenCount(out) > input.maxTokens) {
    out = out.slice(0, input.maxTokens * 4);
    stopped = 'length';
    stopSeq = undefined;
  }
  return { text: out, stopped, stopSeq };
}

function openAiBody(a: Extract<FakeAction, { type: 'reply' }>, input: BehaviorInput): unknown {
  const { text, stopped } = applyLimits(a.text, input);
  const prompt = a.usage?.input ?? fakeTokenCount(input.system + input.prompt);
  const completion = a.usage?.output ?? fakeTokenCount(text);
  return {
    id: `chatcmpl-${nextId()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: input.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: stopped === 'length' ? 'length' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
}

function anthropicBody(a: Extract<FakeAction, { type: 'reply' }>, input: BehaviorInput): unknown {
  const { text, stopped, stopSeq } = applyLimits(a.text, input);
  return {
    id: `msg_${nextId()}`,
    type: 'message',
    role: 'assistant',
    model: input.model,
    content: [{ type: 'text', text }],
    stop_reason: stopped === 'length' ? 'max_tokens' : stopped === 'stop_sequence' ? 'stop_sequence' : 'end_turn',
    stop_sequence: stopSeq ?? null,
    usage: {
      input_tokens: a.usage?.input ?? fakeTokenCount(input.system + input.prompt),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: a.usage?.output ?? fakeTokenCount(text),
    },
  };
}

const OPENAI_ERROR: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided: sk-f****. You can find your API key at https://platform.openai.com/account/api-keys.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again later.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

const ANTHROPIC_ERROR: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'An unexpected error has occurred internal to our systems.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

function errorBody(format: WireFormat, status: number, message?: string): unknown {
  if (format === 'anthropic') {
    const e = ANTHROPIC_ERROR[status] ?? { type: status >= 500 ? 'api_error' : 'invalid_request_error', message: `HTTP ${status}` };
    return { type: 'error', error: { type: e.type, message: message ?? e.message } };
  }
  const e = OPENAI_ERROR[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, message: `HTTP ${status}` };
  return { error: { message: message ?? e.message, type: e.type, param: null, code: e.code } };
}

function formatOf(method: string, pathname: string): WireFormat | 'unknown' {
  if (method !== 'POST') return 'unknown';
  if (pathname.endsWith('/chat/completions')) return 'openai';
  if (pathname.endsWith('/v1/messages') || pathname === '/messages') return 'anthropic';
  return 'unknown';
}

function behaviorInput(format: WireFormat, rec: RecordedRequest, body: unknown): BehaviorInput {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const messages = Array.isArray(b.messages) ? (b.messages as { role?: string; content?: unknown }[]) : [];
  const text = (c: unknown): string =>
    typeof c === 'string'
      ? c
      : Array.isArray(c)
        ? c.map((x) => (x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string' ? (x as { text: string }).text : '')).join('')
        : '';
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const system =
    format === 'anthropic'
      ? text(b.system)
      : messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => text(m.content)).join('\n\n');
  const stopRaw = format === 'anthropic' ? b.stop_sequences : b.stop;
  return {
    format,
    req: rec,
    model: typeof b.model === 'string' ? b.model : '',
    prompt: lastUser ? text(lastUser.content) : '',
    system,
    maxTokens: typeof b.max_tokens === 'number' ? b.max_tokens : undefined,
    stop: Array.isArray(stopRaw) ? (stopRaw as string[]) : typeof stopRaw === 'string' ? [stopRaw] : undefined,
    temperature: typeof b.temperature === 'number' ? b.temperature : undefined,
    topP: typeof b.top_p === 'number' ? b.top_p : undefined,
    seed: typeof b.seed === 'number' ? b.seed : undefined,
  };
}

function presentedKey(h: http.IncomingHttpHeaders): string | undefined {
  const auth = h.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const k = h['api-key'] ?? h['x-api-key'];
  return typeof k === 'string' ? k : undefined;
}

// ---- server -----------------------------------------------------------------------------------

export async function startFakeLlmServer(opts: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  let behavior: Behavior = opts.behavior ?? behaviors.echo();
  const recordBodies = opts.recordBodies ?? true;
  const recordRequests = opts.recordRequests ?? true;
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    inFlight++;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    res.once('close', () => { inFlight--; });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0]!;
    const format = formatOf(req.method ?? 'GET', pathname);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw string
    }
    const rec: RecordedRequest = {
      seq: seq++,
      method: req.method ?? 'GET',
      url,
      format,
      headers: req.headers,
      body: recordBodies ? body : undefined,
      receivedAt: performance.now(),
      clientClosedEarly: false,
    };
    if (recordRequests) requests.push(rec);
    let timer: NodeJS.Timeout | undefined;
    res.on('close', () => {
      if (!res.writableFinished) {
        rec.clientClosedEarly = true;
        if (timer) clearTimeout(timer);
        events.emit('clientClosed', rec);
      }
    });
    events.emit('request', rec);

    const send = (status: number, payload: string, headers: Record<string, string> = {}): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
      res.end(payload, () => {
        rec.respondedAt = performance.now();
      });
      rec.status = status;
    };
    if (format === 'unknown') {
      send(404, JSON.stringify({ error: { message: `fake LLM server: no route for ${req.method} ${pathname}` } }));
      return;
    }
    if (opts.requireApiKey !== undefined && presentedKey(req.headers) !== opts.requireApiKey) {
      send(401, JSON.stringify(errorBody(format, 401)));
      return;
    }
    const input = behaviorInput(format, rec, body);
    let action: FakeAction;
    try {
      action = await behavior(input);
    } catch (err) {
      send(500, JSON.stringify(errorBody(format, 500, `fake behaviour threw: ${String(err)}`)));
      return;
    }
    if (action.type === 'hang') return;
    const respond = (): void => {
      timer = undefined;
      switch (action.type) {
        case 'reply':
          send(200, JSON.stringify(format === 'openai' ? openAiBody(action, input) : anthropicBody(action, input)), {
            ...(format === 'openai' ? { 'x-request-id': `req_${nextId()}` } : { 'request-id': `req_${nextId()}` }),
          });
          return;
        case 'error':
          send(action.status, JSON.stringify(errorBody(format, action.status, action.message)), action.headers);
          return;
        case 'malformed':
          send(200, '{"id": "chatcmpl-broken", "choices": [ {"message": ');
          return;
        case 'wrongShape':
          send(200, JSON.stringify({ id: 'x', object: 'list', data: [] }));
          return;
        case 'truncated': {
          const full = JSON.stringify(format === 'openai' ? openAiBody({ type: 'reply', text: 'x'.repeat(200) }, input) : anthropicBody({ type: 'reply', text: 'x'.repeat(200) }, input));
          rec.status = 200;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(full) });
          res.write(full.slice(0, Math.floor(full.length / 2)), () => res.destroy());
          return;
        }
      }
    };
    const latency = action.latencyMs ?? 0;
    if (latency > 0) timer = setTimeout(respond, latency);
    else respond();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    events,
    setBehavior(fn) {
      behavior = fn;
    },
    waitForRequest(pred = () => true) {
      const found = requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        const on = (r: RecordedRequest): void => {
          if (pred(r)) {
            events.off('request', on);
            resolve(r);
          }
        };
        events.on('request', on);
      });
    },
    waitForClientClose(rec) {
      if (rec.clientClosedEarly) return Promise.resolve();
      return new Promise((resolve) => {
        const on = (r: RecordedRequest): void => {
          if (r === rec) {
            events.off('clientClosed', on);
            resolve();
          }
        };
        events.on('clientClosed', on);
      });
    },
    get inFlight() { return inFlight; },
    get maxInFlight() { return maxInFlight; },
    resetStats() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
