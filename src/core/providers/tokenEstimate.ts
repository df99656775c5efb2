// Token counts before a call is made (no tokenizer is bundled): ~4 characters a token plus 4 a
// message and 3 for the reply's priming, OpenAI's rule of thumb for English chat. What the rate
// limiter reserves against `tpm` before a call; the real usage settles it afterwards.
import type { ChatMessage } from './types';

export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return estimateTokensOfLength(text.length);
}

/** Tokens of a text of `chars` characters. */
export function estimateTokensOfLength(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  let n = 3;
  for (const m of messages) n += 4 + estimateTokens(m.content);
  return n;
}
