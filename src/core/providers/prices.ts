// Token prices for cost metrics. A snapshot of public list prices (standard tier, no batch or
// cached-input discounts); prices change, so users override or extend it (setting
// `promptLedger.prices` / suite `prices:`) via mergePrices.
import type { ModelPrice, PriceTable, TokenUsage } from './types';

/** When DEFAULT_PRICES was last checked against the vendors' pricing pages. */
export const PRICES_SNAPSHOT_DATE = '2025-11-25';

const p = (inputPerMTok: number, outputPerMTok: number): ModelPrice => ({ inputPerMTok, outputPerMTok });

/**
 * USD per 1M tokens. Keys ending in '*' match any model name with that prefix (dated snapshots
 * such as gpt-4o-2024-08-06 or claude-3-5-haiku-20241022); the longest matching key wins.
 */
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  // OpenAI
  'gpt-5*': p(1.25, 10),
  'gpt-5-mini*': p(0.25, 2),
  'gpt-5-nano*': p(0.05, 0.4),
  'gpt-4.1*': p(2, 8),
  'gpt-4.1-mini*': p(0.4, 1.6),
  'gpt-4.1-nano*': p(0.1, 0.4),
  'gpt-4o*': p(2.5, 10),
  'gpt-4o-2024-05-13': p(5, 15),
  'gpt-4o-mini*': p(0.15, 0.6),
  'gpt-4-turbo*': p(10, 30),
  'gpt-3.5-turbo*': p(0.5, 1.5),
  'o1*': p(15, 60),
  'o1-mini*': p(1.1, 4.4),
  'o3*': p(2, 8),
  'o3-mini*': p(1.1, 4.4),
  'o3-pro*': p(20, 80),
  'o4-mini*': p(1.1, 4.4),
  // Anthropic
  'claude-opus-4-5*': p(5, 25),
  'claude-opus-4-1*': p(15, 75),
  'claude-opus-4*': p(15, 75),
  'claude-sonnet-4-5*': p(3, 15),
  'claude-sonnet-4*': p(3, 15),
  'claude-haiku-4-5*': p(1, 5),
  'claude-3-7-sonnet*': p(3, 15),
  'claude-3-5-sonnet*': p(3, 15),
  'claude-3-5-haiku*': p(0.8, 4),
  'claude-3-opus*': p(15, 75),
  'claude-3-haiku*': p(0.25, 1.25),
});

/** A copy of base with the user's entries added or replacing base's; invalid entries are reported, not merged. */
export function mergePrices(base: Readonly<PriceTable>, overrides: unknown): { prices: PriceTable; errors: string[] } {
  const prices: PriceTable = { ...base };
  const errors: string[] = [];
  if (overrides === undefined || overrides === null) return { prices, errors };
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    return { prices, errors: ['prices must be a map of model name → { inputPerMTok, outputPerMTok }.'] };
  }
  for (const [model, v] of Object.entries(overrides as Record<string, unknown>)) {
    const e = v as Partial<ModelPrice> | null;
    if (
      !e ||
      typeof e.inputPerMTok !== 'number' ||
      typeof e.outputPerMTok !== 'number' ||
      !(e.inputPerMTok >= 0) ||
      !(e.outputPerMTok >= 0)
    ) {
      errors.push(
        `prices["${model}"] must be { inputPerMTok: number ≥ 0, outputPerMTok: number ≥ 0 } (USD per 1M tokens), got ${JSON.stringify(v)}.`,
      );
      continue;
    }
    prices[model.toLowerCase()] = { inputPerMTok: e.inputPerMTok, outputPerMTok: e.outputPerMTok };
  }
  return { prices, errors };
}

/**
 * The price entry for a model: exact key first, then the longest '*' prefix key. Case-insensitive;
 * a gateway prefix such as 'openai/' or 'anthropic/' is ignored.
 */
export function priceFor(model: string, prices: Readonly<PriceTable> = DEFAULT_PRICES): ModelPrice | undefined {
  // Looked up for every call of a run: remembered per table (tables are never changed once made).
  let known = lookups.get(prices);
  if (!known) lookups.set(prices, (known = new Map()));
  if (known.has(model)) return known.get(model);
  const price = findPrice(model, prices);
  known.set(model, price);
  return price;
}
const lookups = new WeakMap<Readonly<PriceTable>, Map<string, ModelPrice | undefined>>();

function findPrice(model: string, prices: Readonly<PriceTable>): ModelPrice | undefined {
  const name = model.toLowerCase();
  const candidates = name.includes('/') ? [name, name.slice(name.lastIndexOf('/') + 1)] : [name];
  for (const n of candidates) {
    const exact = lookupExact(prices, n);
    if (exact) return exact;
  }
  for (const n of candidates) {
    let best: { len: number; price: ModelPrice } | undefined;
    for (const [key, price] of Object.entries(prices)) {
      if (!key.endsWith('*')) continue;
      const prefix = key.slice(0, -1).toLowerCase();
      if (n.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, price };
    }
    if (best) return best.price;
  }
  return undefined;
}

function lookupExact(prices: Readonly<PriceTable>, name: string): ModelPrice | undefined {
  if (Object.prototype.hasOwnProperty.call(prices, name)) return prices[name];
  for (const [key, price] of Object.entries(prices)) if (key.toLowerCase() === name) return price;
  return undefined;
}

/** Cost in USD of one call, or undefined when the model has no price entry. */
export function costFor(
  model: string,
  usage: TokenUsage,
  prices: Readonly<PriceTable> = DEFAULT_PRICES,
): number | undefined {
  const price = priceFor(model, prices);
  if (!price) return undefined;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
