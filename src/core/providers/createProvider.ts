// The one entry point callers use: config in, ModelProvider out.
import { createAnthropicProvider } from './anthropicProvider';
import { createCommandProvider } from './commandProvider';
import { createEchoProvider } from './echoProvider';
import { createOpenAiProvider } from './openAiProvider';
import { ProviderError } from './providerError';
import type { ModelProvider, ProviderConfig, ProviderContext } from './types';

/**
 * Throws ProviderError('config') for an invalid config (e.g. Azure without baseUrl).
 * API keys are looked up at the first complete() call, not here, so building providers for a
 * suite never fails just because one key is missing.
 */
export function createProvider(cfg: ProviderConfig, ctx: ProviderContext = {}): ModelProvider {
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
