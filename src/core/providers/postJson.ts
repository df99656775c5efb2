// One HTTP attempt: POST JSON, read the whole body under a per-attempt timeout, and turn every
// failure into a ProviderError of the right kind (the retry loop decides what to do with it).
import { ProviderError, kindForStatus, snippet } from './providerError';
import { cancelledError, parseRetryAfter } from './retry';
import type { FetchLike } from './types';
import { onAbort } from './abortFanout';
import { FetchTimeoutError, isTimedFetch, type TimedRequestInit } from './nodeHttpFetch';

export interface PostJsonOptions {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
  timeoutMs: number;
  fetchImpl: FetchLike;
  /** For messages: 'OpenAI-compatible server', 'Anthropic API'. */
  serviceName: string;
  /** Appended to 401/403 messages: how to fix the key. */
  authHint: string;
}

export interface PostJsonResult {
  status: number;
  json: unknown;
  latencyMs: number;
}

export async function postJson(opts: PostJsonOptions): Promise<PostJsonResult> {
  if (opts.signal.aborted) throw cancelledError();
  // A fetch that keeps the timeout itself gets the caller's signal as it is; any other gets a
  // controller of its own per call, aborted by the timeout or by the caller.
  const timed = isTimedFetch(opts.fetchImpl);
  let timedOut = false;
  let signal = opts.signal;
  let unlink: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (!timed) {
    const controller = new AbortController();
    signal = controller.signal;
    unlink = onAbort(opts.signal, () => controller.abort());
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
  }
  // Only a failure needs the redacted URL (parsing it for every call cost ~15 µs a case).
  const where = (): string => `${opts.serviceName} at ${redactUrl(opts.url)}`;
  const failure = (err: unknown): ProviderError => {
    if (opts.signal.aborted) return cancelledError();
    if (timedOut || err instanceof FetchTimeoutError) {
      return new ProviderError('timeout', `${where()} did not answer within ${opts.timeoutMs} ms.`, { cause: err });
    }
    return new ProviderError('network', `${where()}: ${describeNetworkError(err)}`, { cause: err });
  };

  const started = performance.now();
  try {
    let res: Response;
    try {
      res = await opts.fetchImpl(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers },
        body: JSON.stringify(opts.body),
        signal,
        timeoutMs: timed ? opts.timeoutMs : undefined,
      } as TimedRequestInit);
    } catch (err) {
      throw failure(err);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw failure(err);
    }
    const latencyMs = performance.now() - started;

    if (res.status < 200 || res.status >= 300) {
      const kind = kindForStatus(res.status);
      const detail = errorDetail(text);
      let message = `${where()} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
      if (kind === 'auth') message += `. ${opts.authHint}`;
      throw new ProviderError(kind, message, { status: res.status, retryAfterMs: parseRetryAfter(res.headers) });
    }
    try {
      return { status: res.status, json: JSON.parse(text), latencyMs };
    } catch {
      throw new ProviderError(
        'bad_response',
        `${where()} answered HTTP ${res.status} with a body that is not JSON: "${snippet(text)}"`,
        { status: res.status },
      );
    }
  } finally {
    if (timer) clearTimeout(timer);
    unlink?.();
  }
}

/** The `error.message` of an OpenAI/Anthropic error body, else a snippet of the body. */
function errorDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof j.error === 'string') return snippet(j.error);
    if (j.error && typeof j.error.message === 'string') return snippet(j.error.message);
    if (typeof j.message === 'string') return snippet(j.message);
  } catch {
    // not JSON: fall through to the raw snippet
  }
  return snippet(text);
}

function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return code ? `${code} (${msg})` : msg;
}

/** Drops query strings and userinfo (Azure keys sometimes ride in URLs) from URLs shown in messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
