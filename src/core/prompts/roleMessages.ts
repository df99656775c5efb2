import type { MessageRole, RenderedMessage } from './promptTypes';

/** Prompty's role marker: `#? *role([k=v,…])? *:` alone on a line, case-insensitive. */
export const ROLE_MARKER = /^\s*#?\s*(system|user|assistant|developer)\s*(\[[^\]]*\])?\s*:\s*$/i;

/** A line of the rendered text that marks a role: either a literal marker or a nonce placeholder. */
export type MarkerMatcher = (line: string) => MessageRole | undefined;

export function literalMarker(line: string): MessageRole | undefined {
  const match = ROLE_MARKER.exec(line);
  return match ? (match[1].toLowerCase() as MessageRole) : undefined;
}

/**
 * Splits rendered text into messages. Text before the first marker takes `leadingRole`
 * (Prompty: system); with no marker at all the whole text is one `noMarkerRole` message.
 * Empty messages (a marker directly followed by another) are dropped.
 */
export function splitRoleMessages(text: string, isMarker: MarkerMatcher, leadingRole: MessageRole, noMarkerRole: MessageRole): RenderedMessage[] {
  const messages: { role: MessageRole; lines: string[] }[] = [];
  let current = { role: leadingRole, lines: [] as string[] };
  let sawMarker = false;
  for (const line of text.split('\n')) {
    const role = isMarker(line);
    if (role) {
      messages.push(current);
      current = { role, lines: [] };
      sawMarker = true;
    } else {
      current.lines.push(line);
    }
  }
  messages.push(current);
  if (!sawMarker) messages[0].role = noMarkerRole;
  return messages
    .map((m) => ({ role: m.role, content: trimBlankLines(m.lines.join('\n')) }))
    .filter((m) => m.content.length > 0);
}

/** Removes whitespace-only lines at both ends, keeping the indentation of the first real line. */
export function trimBlankLines(text: string): string {
  // Walks line bounds instead of splitting: it runs on every message of every case.
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (text.slice(start, nl < 0 ? text.length : nl).trim() !== '') break;
    if (nl < 0) return '';
    start = nl + 1;
  }
  let end = text.length;
  for (;;) {
    const nl = text.lastIndexOf('\n', end - 1);
    // The line at `start` is not blank, so this stops there at the latest.
    if (nl < start || text.slice(nl + 1, end).trim() !== '') break;
    end = nl;
  }
  return text.slice(start, end);
}
