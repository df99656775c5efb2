// Per-provider rate limits (`rpm`, `tpm` on a suite's model entry): two token buckets, one for
// requests and one for tokens, shared by every provider object made for the same endpoint, model
// and key in this process (the run's model, its judge calls, two runs at once), so a run at any
// concurrency starts calls no faster than the limits allow.
//
// - Buckets hold 100 ms of their rate (at least one unit) and start with one unit, so a run's
//   first second is not a burst, and a burst after a lull overshoots a per-minute limit by at
//   most 1/600; a call larger than the token bucket waits for a full bucket and leaves the rest
//   as debt, which later calls wait out.
// - Before a call it reserves one request and its estimated tokens (prompt estimate + max_tokens);
//   the usage the provider reports settles the difference.
// - Adaptive backoff on 429: the retry itself is retry.ts's (Retry-After honoured exactly); the
//   limiter only learns from it through ctx.onRetry. It pauses every new call until the server's
//   wait is over (a 429 means the window is full for everyone, not just that call), and lowers its
//   rates to 70 % (down to 10 %) once per pause; each success wins 0.5 % of the configured rate
//   back. Nothing accrues during a pause: it ends with empty buckets, not a burst.
//   The retry waits for a request slot like any call, after its Retry-After.
import { abortableSleep, cancelledError } from './retry';
import { estimateMessageTokens } from './tokenEstimate';
import type { ModelProvider, ProviderContext, ProviderRequest, ProviderResponse, RetryInfo } from './types';

export interface RateLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens (prompt + completion) per minute. */
  tpm?: number;
}

const MINUTE_MS = 60_000;
/** How much of its rate a bucket holds: the largest burst after a lull. */
const BURST_MS = 100;
const BACKOFF_FACTOR = 0.7;
const MIN_RATE_FACTOR = 0.1;
const RECOVERY_PER_SUCCESS = 0.005;

/** A token bucket over an explicit clock (ms): pure arithmetic, no timers. */
export class TokenBucket {
  private level: number;
  private last: number;
  private ratePerMs: number;
  private capacity: number;

  constructor(perMinute: number, now: number) {
    this.ratePerMs = perMinute / MINUTE_MS;
    this.capacity = Math.max(1, this.ratePerMs * BURST_MS);
    this.level = Math.min(1, this.capacity);
    this.last = now;
  }

  get available(): number { return this.level; }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.capacity, this.level + (now - this.last) * this.ratePerMs);
      this.last = now;
    }
  }

  /** Ms until `n` can be taken (0: now). More than the capacity waits for a full bucket. */
  waitMs(n: number, now: number): number {
    this.refill(now);
    const need = Math.min(n, this.capacity);
    if (this.level >= need) return 0;
    // Before `last` (a drain's pause) nothing accrues.
    return Math.max(0, this.last - now) + (need - this.level) / this.ratePerMs;
  }

  /** Takes n (the level may go below zero: debt that later takers wait out). */
  take(n: number, now: number): void {
    this.refill(now);
    this.level -= n;
  }

  /** Gives back n (a reservation larger than what was used), never above the capacity. */
  giveBack(n: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.capacity, this.level + n);
  }

  /** New rate (same capacity rule); what has accrued so far is kept. */
  setRate(perMinute: number, now: number): void {
    this.refill(now);
    this.ratePerMs = perMinute / MINUTE_MS;
    this.capacity = Math.max(1, this.ratePerMs * BURST_MS);
    this.level = Math.min(this.level, this.capacity);
  }

  /** Nothing left, and nothing accrues before `until`: after a 429 the server's window is full. */
  drain(now: number, until: number = now): void {
    this.refill(now);
    this.level = Math.min(this.level, 0);
    this.last = Math.max(this.last, until);
  }
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class RateLimiter {
  private limits: RateLimits;
  private requests?: TokenBucket;
  private tokens?: TokenBucket;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private factor = 1;
  /** 429s seen and how long new calls were held back for them (for logs and tests). */
  readonly stats = { throttled: 0, pausedMs: 0 };

  constructor(limits: RateLimits, private readonly clock: () => number = () => performance.now()) {
    this.limits = {};
    this.configure(limits);
  }

  get rateFactor(): number { return this.factor; }

  /** Sets the limits (a later suite may name other ones for the same endpoint). */
  configure(limits: RateLimits): void {
    const now = this.clock();
    if (limits.rpm !== this.limits.rpm) this.requests = limits.rpm ? new TokenBucket(limits.rpm * this.factor, now) : undefined;
    if (limits.tpm !== this.limits.tpm) this.tokens = limits.tpm ? new TokenBucket(limits.tpm * this.factor, now) : undefined;
    this.limits = { ...limits };
  }

  /** Resolves when one request with `tokens` estimated tokens may start; rejects 'cancelled' on abort. */
  acquire(tokens: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(cancelledError());
    if (this.queue.length === 0 && this.tryTake(tokens) === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        tokens, resolve, reject, signal,
        onAbort: () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(cancelledError());
          this.schedule();
        },
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
      this.queue.push(w);
      this.schedule();
    });
  }

  /** After a call: the difference between its reservation and the tokens it really used. */
  settle(reservedTokens: number, usedTokens: number | undefined): void {
    if (!this.tokens || usedTokens === undefined) return;
    const now = this.clock();
    if (usedTokens > reservedTokens) this.tokens.take(usedTokens - reservedTokens, now);
    else this.tokens.giveBack(reservedTokens - usedTokens, now);
  }

  /** A call succeeded: win back some of the rate a 429 cost. */
  succeeded(): void {
    if (this.factor >= 1) return;
    this.factor = Math.min(1, this.factor + RECOVERY_PER_SUCCESS);
    this.applyFactor();
  }

  /** The server said 429 and asked for `waitMs`: hold every new call back that long, slow down. */
  throttled(waitMs: number): void {
    const now = this.clock();
    this.stats.throttled++;
    const until = now + Math.max(0, waitMs);
    // One slowdown per pause: many calls in flight see the same full window at once.
    if (now >= this.pausedUntil) {
      this.factor = Math.max(MIN_RATE_FACTOR, this.factor * BACKOFF_FACTOR);
      this.applyFactor();
    }
    if (until > this.pausedUntil) {
      this.stats.pausedMs += until - Math.max(now, this.pausedUntil);
      this.pausedUntil = until;
    }
    this.requests?.drain(now, this.pausedUntil);
    this.tokens?.drain(now, this.pausedUntil);
    this.schedule();
  }

  private applyFactor(): void {
    const now = this.clock();
    if (this.limits.rpm) this.requests?.setRate(this.limits.rpm * this.factor, now);
    if (this.limits.tpm) this.tokens?.setRate(this.limits.tpm * this.factor, now);
  }

  /** Takes a request and `tokens` now and returns 0, or returns how many ms to wait. */
  private tryTake(tokens: number): number {
    const now = this.clock();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const wait = Math.max(this.requests?.waitMs(1, now) ?? 0, this.tokens?.waitMs(tokens, now) ?? 0);
    if (wait > 0) return wait;
    this.requests?.take(1, now);
    this.tokens?.take(tokens, now);
    return 0;
  }

  /** Lets waiters through in order while the buckets allow; a timer for the next one. */
  private schedule(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    while (this.queue.length) {
      const w = this.queue[0]!;
      const wait = this.tryTake(w.tokens);
      if (wait > 0) {
        this.timer = setTimeout(() => { this.timer = undefined; this.schedule(); }, Math.max(1, Math.ceil(wait)));
        return;
      }
      this.queue.shift();
      w.signal.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
  }
}

const shared = new Map<string, RateLimiter>();

/**
 * The process-wide limiter for one endpoint + model + key (`key`), made on first use and
 * reconfigured when a later suite names other limits. Undefined when no limit is set.
 */
export function sharedRateLimiter(key: string, limits: RateLimits): RateLimiter | undefined {
  if (!limits.rpm && !limits.tpm) return undefined;
  let l = shared.get(key);
  if (!l) shared.set(key, (l = new RateLimiter(limits)));
  else l.configure(limits);
  return l;
}

/** Tokens a call is expected to use before it is made: prompt estimate + its max_tokens. */
export function reservedTokens(req: ProviderRequest): number {
  return estimateMessageTokens(req.messages) + (req.params.max_tokens ?? 0);
}

/**
 * A provider whose calls go through `limiter`. `make` builds the inner provider with a context
 * that reports 429s to the limiter and makes each retry wait for a request slot after its
 * Retry-After; the retries themselves stay retry.ts's.
 */
export function withRateLimit(
  make: (ctx: ProviderContext) => ModelProvider,
  limiter: RateLimiter,
  ctx: ProviderContext,
): ModelProvider {
  const sleep = ctx.sleep ?? abortableSleep;
  const inner = make({
    ...ctx,
    onRetry: (info: RetryInfo) => {
      if (info.error.kind === 'rate_limited') limiter.throttled(info.delayMs);
      ctx.onRetry?.(info);
    },
    sleep: async (ms, signal) => {
      await sleep(ms, signal);
      await limiter.acquire(0, signal);
    },
  });
  return {
    id: inner.id,
    kind: inner.kind,
    model: inner.model,
    cacheIdentity: inner.cacheIdentity,
    async complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
      const reserved = reservedTokens(req);
      await limiter.acquire(reserved, signal);
      let res: ProviderResponse;
      try {
        res = await inner.complete(req, signal);
      } catch (err) {
        limiter.settle(reserved, 0); // a failed call used nothing of the token budget
        throw err;
      }
      limiter.settle(reserved, res.usage ? res.usage.inputTokens + res.usage.outputTokens : undefined);
      limiter.succeeded();
      return res;
    },
  };
}
