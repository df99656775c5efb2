// OpenAI-compatible chat completions: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio,
// llama.cpp server, MLflow AI Gateway and other gateways speaking the same wire format.
import { z } from 'zod';
import { sharedHttpFetch } from './nodeHttpFetch';
import { authHint, findApiKey, resolveApiKey } from './apiKey';
import { completeOverHttp } from './httpCompletion';
import { ProviderError } from './providerError';
import { parseResponseShape, pricedUsage } from './responseShape';
import { resolveRetryPolicy } from './retry';
import type {
  ModelProvider,
  OpenAiProviderConfig,
  ProviderContext,
  ProviderRequest,
  ProviderResponse,
} from './types';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const SERVICE = 'OpenAI-compatible server';

export interface HttpRequestSpec {
  url: string;
  /** Without the auth header (added per call so keys never sit in long-lived objects). */
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

/** The endpoint URL (no key in it). Azure when azureApiVersion is set. */
export function openAiEndpoint(cfg: OpenAiProviderConfig): string {
  if (cfg.azureApiVersion) {
    if (!cfg.baseUrl) {
      throw new ProviderError(
        'config',
        `Azure OpenAI provider "${cfg.model}" needs baseUrl (the resource endpoint, e.g. https://NAME.openai.azure.com).`,
      );
    }
    const deployment = encodeURIComponent(cfg.deployment ?? cfg.model);
    return `${trimSlash(cfg.baseUrl)}/openai/deployments/${deployment}/chat/completions?api-version=${encodeURIComponent(cfg.azureApiVersion)}`;
  }
  return `${trimSlash(cfg.baseUrl ?? OPENAI_DEFAULT_BASE_URL)}/chat/completions`;
}

export function openAiKeyEnv(cfg: OpenAiProviderConfig): string {
  return cfg.apiKeyEnv ?? (cfg.azureApiVersion ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY');
}

/** Maps a ProviderRequest to the chat-completions body; only params that are set are sent. */
export function buildOpenAiRequest(cfg: OpenAiProviderConfig, req: ProviderRequest): HttpRequestSpec {
  const p = req.params;
  const body: Record<string, unknown> = {
    model: cfg.model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.top_p !== undefined) body.top_p = p.top_p;
  if (p.max_tokens !== undefined) body.max_tokens = p.max_tokens;
  if (p.stop !== undefined && p.stop.length > 0) body.stop = p.stop;
  if (p.seed !== undefined) body.seed = p.seed;
  if (p.response_format !== undefined) body.response_format = p.response_format;
  return { url: openAiEndpoint(cfg), headers: { ...(cfg.headers ?? {}) }, body };
}

const openAiResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
    })
    .nullish(),
});

export function parseOpenAiResponse(
  json: unknown,
  model: string,
  ctx: Pick<ProviderContext, 'prices'>,
): Omit<ProviderResponse, 'latencyMs' | 'cached'> {
  const data = parseResponseShape(openAiResponseSchema, json, SERVICE);
  const choice = data.choices[0]!;
  return {
    text: choice.message.content ?? choice.message.refusal ?? '',
    ...pricedUsage(model, data.usage?.prompt_tokens, data.usage?.completion_tokens, ctx.prices),
    finishReason: choice.finish_reason ?? undefined,
    raw: json,
  };
}

export function createOpenAiProvider(cfg: OpenAiProviderConfig, ctx: ProviderContext): ModelProvider {
  const policy = resolveRetryPolicy(ctx.retry);
  const fetchImpl = ctx.fetchImpl ?? sharedHttpFetch();
  const envName = openAiKeyEnv(cfg);
  const isAzure = cfg.azureApiVersion !== undefined;
  return {
    id: `openai:${cfg.model}`,
    kind: 'openai',
    model: cfg.model,
    cacheIdentity: {
      url: openAiEndpoint(cfg),
      model: cfg.model,
      headerNames: Object.keys(cfg.headers ?? {}).sort(),
    },
    async complete(req, signal) {
      const spec = buildOpenAiRequest(cfg, req);
      const key = await resolveOptionalKey();
      const headers = { ...spec.headers };
      if (key !== undefined) {
        if (isAzure) headers['api-key'] = key;
        else headers.authorization = `Bearer ${key}`;
      }
      return completeOverHttp(
        {
          providerId: `openai:${cfg.model}`,
          url: spec.url,
          headers,
          body: spec.body,
          serviceName: isAzure ? 'Azure OpenAI' : SERVICE,
          authHint: authHint(envName),
          policy,
          fetchImpl,
          parse: (json) => parseOpenAiResponse(json, cfg.model, ctx),
        },
        ctx,
        signal,
      );
    },
  };

  async function resolveOptionalKey(): Promise<string | undefined> {
    if (cfg.noAuth) return findApiKey(cfg.apiKey, envName, ctx);
    return resolveApiKey(cfg.apiKey, envName, ctx, isAzure ? 'Azure OpenAI' : `OpenAI-compatible provider "${cfg.model}"`);
  }
}
