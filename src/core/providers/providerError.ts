// The one error type providers reject with, so callers can count errors by kind and decide
// what to retry without parsing messages.

export type ProviderErrorKind =
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'timeout' // per-attempt timeout elapsed
  | 'network' // connection refused/reset, truncated body
  | 'bad_response' // unparseable JSON or unexpected shape
  | 'auth' // 401/403 or no API key found
  | 'bad_request' // other 4xx
  | 'cancelled' // caller's AbortSignal fired
  | 'command_failed' // command provider: non-zero exit, killed by signal, or failed to start
  | 'config'; // invalid provider configuration

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'server', 'timeout', 'network']);

export interface ProviderErrorInit {
  status?: number;
  /** Server-requested wait before retrying (from Retry-After / retry-after-ms), ms. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up (set by the retry loop). */
  attempts?: number;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  attempts?: number;

  constructor(kind: ProviderErrorKind, message: string, init: ProviderErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = init.status;
    this.retryable = RETRYABLE.has(kind);
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

/** Maps an HTTP status to an error kind (for non-2xx responses). */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** First `max` characters of a body, on one line, for error messages. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
