// One completion over HTTP as the OpenAI-compatible and Anthropic providers make it: POST the
// body (postJson, one attempt), parse the answer, retry what is retryable, count the attempts.
import { postJson } from './postJson';
import { withRetry } from './retry';
import type { FetchLike, ProviderContext, ProviderResponse, RetryPolicy } from './types';

export interface HttpCompletionCall {
  providerId: string;
  url: string;
  /** With the auth header: built per call so keys never sit in long-lived objects. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** For messages: 'OpenAI-compatible server', 'Anthropic API'. */
  serviceName: string;
  /** Appended to 401/403 messages: how to fix the key. */
  authHint: string;
  /** Resolved once when the provider is created (so a bad policy fails there, not per call). */
  policy: RetryPolicy;
  fetchImpl: FetchLike;
  /** The provider's own reading of a 2xx JSON body. */
  parse: (json: unknown) => Omit<ProviderResponse, 'latencyMs' | 'cached'>;
}

export async function completeOverHttp(
  call: HttpCompletionCall,
  ctx: ProviderContext,
  signal: AbortSignal,
): Promise<ProviderResponse> {
  const { value, attempts } = await withRetry(
    () =>
      postJson({
        url: call.url,
        headers: call.headers,
        body: call.body,
        signal,
        timeoutMs: ctx.timeoutMs ?? 60_000,
        fetchImpl: call.fetchImpl,
        serviceName: call.serviceName,
        authHint: call.authHint,
      }).then((r) => ({ parsed: call.parse(r.json), latencyMs: r.latencyMs })),
    { policy: call.policy, signal, providerId: call.providerId, sleep: ctx.sleep, random: ctx.random, onRetry: ctx.onRetry },
  );
  // Spelled out (no spreads): one response object of one shape per call.
  const { parsed: p, latencyMs } = value;
  return { text: p.text, usage: p.usage, costUsd: p.costUsd, latencyMs, cached: false, attempts, finishReason: p.finishReason, raw: p.raw };
}
