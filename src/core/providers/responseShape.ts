// What every HTTP provider does with a 2xx JSON body before reading its own fields: check the
// shape with zod (a 'bad_response' that names the first wrong field otherwise), and turn the
// reported token counts into usage and cost.
import type { z } from 'zod';
import { costFor } from './prices';
import { ProviderError, snippet } from './providerError';
import type { PriceTable, ProviderResponse } from './types';

/** The body checked against `schema`; throws ProviderError 'bad_response' naming the first issue. */
export function parseResponseShape<T>(schema: z.ZodType<T>, json: unknown, serviceName: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      'bad_response',
      `${serviceName} answered with an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message}): "${snippet(JSON.stringify(json))}"`,
    );
  }
  return parsed.data;
}

/** Usage and its cost when the server reported both token counts; neither otherwise. */
export function pricedUsage(
  model: string,
  inputTokens: number | null | undefined,
  outputTokens: number | null | undefined,
  prices: Readonly<PriceTable> | undefined,
): Pick<ProviderResponse, 'usage' | 'costUsd'> {
  if (typeof inputTokens !== 'number' || typeof outputTokens !== 'number') return { usage: undefined, costUsd: undefined };
  const usage = { inputTokens, outputTokens };
  return { usage, costUsd: costFor(model, usage, prices) };
}
