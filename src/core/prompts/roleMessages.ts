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
 * Empty messages (a marker directly followed by another) are dropped. `markerHint`, when given,
 * is text every marker line contains (strict mode's nonce placeholder): only lines with it are
 * matched.
 */
export function splitRoleMessages(text: string, isMarker: MarkerMatcher, leadingRole: MessageRole, noMarkerRole: MessageRole, markerHint?: string): RenderedMessage[] {
  // Walks line bounds and slices each message's text whole: it runs for every case of a run, and
  // splitting into lines to join them again cost most of a render.
  const messages: RenderedMessage[] = [];
  let role = leadingRole;
  let from = 0; // where the current message's text starts
  let sawMarker = false;
  const close = (to: number) => {
    const content = trimBlankLines(text.slice(from, to));
    if (content.length > 0) messages.push({ role, content });
  };
  for (let start = 0; start <= text.length;) {
    if (markerHint !== undefined) {
      // Jump to the next line that holds the hint.
      const at = text.indexOf(markerHint, start);
      if (at < 0) break;
      start = text.lastIndexOf('\n', at) + 1;
    }
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const marker = isMarker(text.slice(start, end));
    if (marker) {
      close(Math.max(from, start - 1));
      role = marker;
      from = end + 1;
      sawMarker = true;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  if (from <= text.length) close(text.length);
  if (!sawMarker && messages.length) messages[0] = { role: noMarkerRole, content: messages[0].content };
  return messages;
}

/** Removes whitespace-only lines at both ends, keeping the indentation of the first real line. */
export function trimBlankLines(text: string): string {
  // Walks char codes instead of splitting or slicing lines: it runs on every message of every case.
  let start = 0;
  let lineStart = 0;
  for (; start < text.length; start++) {
    const c = text.charCodeAt(start);
    if (c === 10) lineStart = start + 1;
    else if (!isWhitespace(c)) break;
  }
  if (start === text.length) return '';
  let end = text.length;
  let lineEnd = text.length;
  for (; end > start; end--) {
    const c = text.charCodeAt(end - 1);
    if (c === 10) lineEnd = end - 1;
    else if (!isWhitespace(c)) break;
  }
  return lineStart === 0 && lineEnd === text.length ? text : text.slice(lineStart, lineEnd);
}

/** What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator), but \n, which bounds lines here. */
function isWhitespace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
