// Context windows (tokens) of well-known models, so a row whose prompt cannot fit is caught before
// it is sent. Keys ending in '*' match by prefix, the longest key wins (as in providers/prices.ts).
// Unknown models are simply not checked; the token count is an estimate (4 characters a token).

const WINDOWS: Readonly<Record<string, number>> = Object.freeze({
  'gpt-5*': 400_000,
  'gpt-4.1*': 1_047_576,
  'gpt-4o*': 128_000,
  'gpt-4-turbo*': 128_000,
  'gpt-4': 8_192,
  'gpt-3.5-turbo*': 16_385,
  'o1*': 200_000,
  'o3*': 200_000,
  'o4-mini*': 200_000,
  'claude-*': 200_000,
});

export function contextWindowOf(model: string | undefined): number | undefined {
  if (!model) return undefined;
  if (WINDOWS[model] !== undefined && !model.endsWith('*')) return WINDOWS[model];
  let best: { len: number; tokens: number } | undefined;
  for (const [key, tokens] of Object.entries(WINDOWS)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (model.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, tokens };
  }
  return best?.tokens;
}

