// The one entry point callers use: config in, ModelProvider out.
import { anthropicEndpoint, createAnthropicProvider } from './anthropicProvider';
import { createCommandProvider } from './commandProvider';
import { createEchoProvider } from './echoProvider';
import { createOpenAiProvider, openAiEndpoint, openAiKeyEnv } from './openAiProvider';
import { ProviderError } from './providerError';
import { sharedRateLimiter, withRateLimit } from './rateLimiter';
import type { ModelProvider, ProviderConfig, ProviderContext } from './types';

/**
 * Throws ProviderError('config') for an invalid config (e.g. Azure without baseUrl).
 * API keys are looked up at the first complete() call, not here, so building providers for a
 * suite never fails just because one key is missing.
 * With `rpm`/`tpm` set, calls are paced by the limiter shared by every provider for the same
 * endpoint, model and key in this process (rateLimiter.ts).
 */
export function createProvider(cfg: ProviderConfig, ctx: ProviderContext = {}): ModelProvider {
  const limiter = (cfg.kind === 'openai' || cfg.kind === 'anthropic') && (cfg.rpm || cfg.tpm)
    ? sharedRateLimiter(rateLimitKey(cfg), { rpm: cfg.rpm, tpm: cfg.tpm })
    : undefined;
  if (limiter) return withRateLimit((c) => createUnlimited(cfg, c), limiter, ctx);
  return createUnlimited(cfg, ctx);
}

/** Who a provider's quota belongs to: the endpoint, the model and the key's variable (never the key). */
function rateLimitKey(cfg: Extract<ProviderConfig, { kind: 'openai' | 'anthropic' }>): string {
  return cfg.kind === 'openai'
    ? JSON.stringify(['openai', openAiEndpoint(cfg), cfg.model, openAiKeyEnv(cfg)])
    : JSON.stringify(['anthropic', anthropicEndpoint(cfg), cfg.model, cfg.apiKeyEnv ?? 'ANTHROPIC_API_KEY']);
}

function createUnlimited(cfg: ProviderConfig, ctx: ProviderContext): ModelProvider {
  switch (cfg.kind) {
    case 'openai':
      return createOpenAiProvider(cfg, ctx);
    case 'anthropic':
      return createAnthropicProvider(cfg, ctx);
    case 'command':
      return createCommandProvider(cfg, ctx);
    case 'echo':
      return createEchoProvider();
    default:
      throw new ProviderError('config', `Unknown provider kind "${(cfg as { kind?: unknown }).kind}"; use openai, anthropic, command or echo.`);
  }
}
