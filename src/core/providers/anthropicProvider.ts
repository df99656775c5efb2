// Anthropic Messages API (POST {baseUrl}/v1/messages).
import { z } from 'zod';
import { sharedHttpFetch } from './nodeHttpFetch';
import { authHint, resolveApiKey } from './apiKey';
import type { HttpRequestSpec } from './openAiProvider';
import { completeOverHttp } from './httpCompletion';
import { ProviderError } from './providerError';
import { parseResponseShape, pricedUsage } from './responseShape';
import { resolveRetryPolicy } from './retry';
import type {
  AnthropicProviderConfig,
  ModelProvider,
  ProviderContext,
  ProviderRequest,
  ProviderResponse,
} from './types';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';
/** The API requires max_tokens; this is what we send when the suite sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;
const SERVICE = 'Anthropic API';

export function anthropicEndpoint(cfg: AnthropicProviderConfig): string {
  const base = (cfg.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  // Accept a baseUrl that already ends in /v1 (a common way to write it) without doubling it.
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

/**
 * System and developer messages become the top-level `system` string (joined by blank lines);
 * user/assistant messages keep their order. seed and response_format have no Anthropic equivalent
 * and are not sent.
 */
export function buildAnthropicRequest(cfg: AnthropicProviderConfig, req: ProviderRequest): HttpRequestSpec {
  const system = req.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content);
  const messages = req.messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role, content: m.content }));
  if (messages.length === 0) {
    throw new ProviderError(
      'bad_request',
      `Anthropic provider "${cfg.model}": the prompt has no user message (the Messages API needs at least one). Add a user section to the prompt.`,
    );
  }
  const p = req.params;
  const body: Record<string, unknown> = {
    model: cfg.model,
    max_tokens: p.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.top_p !== undefined) body.top_p = p.top_p;
  if (p.stop !== undefined && p.stop.length > 0) body.stop_sequences = p.stop;
  return {
    url: anthropicEndpoint(cfg),
    headers: { 'anthropic-version': cfg.anthropicVersion ?? ANTHROPIC_DEFAULT_VERSION, ...(cfg.headers ?? {}) },
    body,
  };
}

const anthropicResponseSchema = z.object({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z
    .object({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
    })
    .nullish(),
});

export function parseAnthropicResponse(
  json: unknown,
  model: string,
  ctx: Pick<ProviderContext, 'prices'>,
): Omit<ProviderResponse, 'latencyMs' | 'cached'> {
  const data = parseResponseShape(anthropicResponseSchema, json, SERVICE);
  const text = data.content
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join('');
  return {
    text,
    ...pricedUsage(model, data.usage?.input_tokens, data.usage?.output_tokens, ctx.prices),
    finishReason: data.stop_reason ?? undefined,
    raw: json,
  };
}

export function createAnthropicProvider(cfg: AnthropicProviderConfig, ctx: ProviderContext): ModelProvider {
  const policy = resolveRetryPolicy(ctx.retry);
  const fetchImpl = ctx.fetchImpl ?? sharedHttpFetch();
  const envName = cfg.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
  const id = `anthropic:${cfg.model}`;
  return {
    id,
    kind: 'anthropic',
    model: cfg.model,
    cacheIdentity: {
      url: anthropicEndpoint(cfg),
      model: cfg.model,
      anthropicVersion: cfg.anthropicVersion ?? ANTHROPIC_DEFAULT_VERSION,
      headerNames: Object.keys(cfg.headers ?? {}).sort(),
    },
    async complete(req, signal) {
      const spec = buildAnthropicRequest(cfg, req);
      const key = await resolveApiKey(cfg.apiKey, envName, ctx, `Anthropic provider "${cfg.model}"`);
      return completeOverHttp(
        {
          providerId: id,
          url: spec.url,
          headers: { ...spec.headers, 'x-api-key': key },
          body: spec.body,
          serviceName: SERVICE,
          authHint: authHint(envName),
          policy,
          fetchImpl,
          parse: (json) => parseAnthropicResponse(json, cfg.model, ctx),
        },
        ctx,
        signal,
      );
    },
  };
}
