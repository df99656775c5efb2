// Finds the API key for a provider without ever putting it in a message or log line.
import { ProviderError } from './providerError';
import type { ProviderContext } from './types';

export const SET_API_KEY_COMMAND = 'Prompt Ledger: Set API Key';

/** What to tell the user when a key is missing or rejected. */
export function authHint(envName: string): string {
  return `Run the command "${SET_API_KEY_COMMAND}" or set the environment variable ${envName}.`;
}

/**
 * Order: the already-resolved `apiKey` from the config, then ctx.secrets(envName) (the extension's
 * SecretStorage, keyed by the env var name), then ctx.env / process.env[envName].
 * Rejects with ProviderError('auth') naming the env var and the command when none is found.
 */
export async function resolveApiKey(
  explicit: string | undefined,
  envName: string,
  ctx: Pick<ProviderContext, 'secrets' | 'env'>,
  serviceName: string,
): Promise<string> {
  const key = await findApiKey(explicit, envName, ctx);
  if (key) return key;
  throw new ProviderError('auth', `No API key for ${serviceName}. ${authHint(envName)}`);
}

/** The same lookup, undefined when there is none (servers that need no key: no error built per call). */
export async function findApiKey(
  explicit: string | undefined,
  envName: string,
  ctx: Pick<ProviderContext, 'secrets' | 'env'>,
): Promise<string | undefined> {
  if (explicit) return explicit;
  const fromSecrets = ctx.secrets ? await ctx.secrets(envName) : undefined;
  if (fromSecrets) return fromSecrets;
  return (ctx.env ?? process.env)[envName] || undefined;
}
