// Retries, in one place: provider calls use withRetry; the MLflow client (tracking/mlflow/httpClient.ts)
// reuses the same Retry-After parsing and backoff. 429, 5xx, timeouts and network errors are retried with exponential
// backoff and full jitter (AWS "Exponential Backoff and Jitter"), honouring the server's
// Retry-After / retry-after-ms when it sends one. Every wait is abortable, so cancelling an eval
// never sits out a 30 s backoff.
import { ProviderError, isProviderError } from './providerError';
import type { RetryInfo, RetryPolicy } from './types';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  respectRetryAfter: true,
  maxRetryAfterMs: 120_000,
};

export function resolveRetryPolicy(overrides?: Partial<RetryPolicy>): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(overrides ?? {}) };
  if (!(p.maxRetries >= 0) || !(p.baseDelayMs >= 0) || !(p.maxDelayMs >= 0) || !(p.maxRetryAfterMs >= 0)) {
    throw new ProviderError('config', `Invalid retry policy ${JSON.stringify(p)}: all numbers must be ≥ 0.`);
  }
  return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type HeaderGetter = { get(name: string): string | null };

/**
 * The wait the server asked for, in ms: `retry-after-ms` (OpenAI, Azure) wins over `Retry-After`
 * (delta-seconds or an HTTP date). Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: HeaderGetter, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const trimmed = ra.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full jitter: random in [0, min(cap, base·2^retryIndex)). retryIndex is 0 for the first retry. */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before retry number retryIndex+1 after `error`, or undefined to give up.
 * A server-requested wait is honoured exactly (it is a floor: retrying earlier only earns another
 * 429); one longer than maxRetryAfterMs makes us give up rather than hang.
 */
export function retryDelayFor(
  error: unknown,
  retryIndex: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!isProviderError(error) || !error.retryable) return undefined;
  if (retryIndex >= policy.maxRetries) return undefined;
  if (policy.respectRetryAfter && error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    return Math.ceil(error.retryAfterMs);
  }
  return backoffDelayMs(retryIndex, policy, random);
}

/** Resolves after ms, or rejects with ProviderError('cancelled') as soon as signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelledError(): ProviderError {
  return new ProviderError('cancelled', 'Request cancelled.');
}

export interface WithRetryOptions {
  policy: RetryPolicy;
  signal: AbortSignal;
  providerId: string;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs attempt(1), attempt(2)… until one resolves or the error is not retryable / retries are
 * used up. Resolves with the value and the number of attempts; rejects with the last error
 * (a ProviderError with `attempts` set).
 */
export async function withRetry<T>(
  attempt: (attemptNo: number) => Promise<T>,
  opts: WithRetryOptions,
): Promise<{ value: T; attempts: number }> {
  const sleep = opts.sleep ?? abortableSleep;
  for (let attemptNo = 1; ; attemptNo++) {
    if (opts.signal.aborted) throw withAttempts(cancelledError(), attemptNo - 1);
    try {
      return { value: await attempt(attemptNo), attempts: attemptNo };
    } catch (err) {
      if (opts.signal.aborted) throw withAttempts(cancelledError(), attemptNo);
      const delay = retryDelayFor(err, attemptNo - 1, opts.policy, opts.random);
      if (delay === undefined) throw withAttempts(err, attemptNo);
      const pe = err as ProviderError;
      opts.onRetry?.({
        providerId: opts.providerId,
        retry: attemptNo,
        delayMs: delay,
        error: { kind: pe.kind, status: pe.status, message: pe.message },
      });
      try {
        await sleep(delay, opts.signal);
      } catch {
        throw withAttempts(cancelledError(), attemptNo);
      }
    }
  }
}

function withAttempts(err: unknown, attempts: number): unknown {
  if (isProviderError(err)) err.attempts = attempts;
  return err;
}
