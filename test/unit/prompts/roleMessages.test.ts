// The role split and the blank-line trim walk char codes and line bounds for speed (they run for
// every case of a run). These check them against the plain split/join/trim they replaced, on
// random texts of markers, blank lines and every kind of whitespace String.prototype.trim knows.
import { strict as assert } from 'node:assert';
import { literalMarker, splitRoleMessages, trimBlankLines, type MarkerMatcher } from '../../../src/core/prompts/roleMessages';
import type { MessageRole, RenderedMessage } from '../../../src/core/prompts/promptTypes';

function referenceTrim(text: string): string {
  const lines = text.split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}

function referenceSplit(text: string, isMarker: MarkerMatcher, leadingRole: MessageRole, noMarkerRole: MessageRole): RenderedMessage[] {
  const messages: { role: MessageRole; lines: string[] }[] = [];
  let current = { role: leadingRole, lines: [] as string[] };
  let sawMarker = false;
  for (const line of text.split('\n')) {
    const role = isMarker(line);
    if (role) {
      messages.push(current);
      current = { role, lines: [] };
      sawMarker = true;
    } else current.lines.push(line);
  }
  messages.push(current);
  if (!sawMarker) messages[0].role = noMarkerRole;
  return messages.map((m) => ({ role: m.role, content: referenceTrim(m.lines.join('\n')) })).filter((m) => m.content.length > 0);
}

const HINT = '__ROLE_nonce_';
const PLACEHOLDER = new RegExp(`^${HINT}(system|user|assistant|developer)__$`);
const placeholderMarker: MarkerMatcher = (line) => PLACEHOLDER.exec(line.trim())?.[1] as MessageRole | undefined;
const PIECES = ['', '\n', '\n\n', 'system:', 'user:', ' user: ', '#assistant:', 'hello', 'x\ny', '  ', '\t', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b',
  `${HINT}user__`, ` ${HINT}system__ `, `text ${HINT}user__`];

// A seeded generator: a failure names a text that can be replayed.
function texts(n: number): string[] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: n }, () => {
    let s = '';
    for (let k = Math.floor(rand() * 9); k > 0; k--) s += PIECES[Math.floor(rand() * PIECES.length)] + (rand() < 0.5 ? '\n' : '');
    return s;
  });
}

describe('role messages', () => {
  it('trimBlankLines drops whitespace-only lines at both ends exactly as line-wise trim() does', () => {
    for (const t of texts(20000)) assert.equal(JSON.stringify(trimBlankLines(t)), JSON.stringify(referenceTrim(t)), JSON.stringify(t));
  });

  it('splitRoleMessages splits on literal markers as the line-wise split did', () => {
    for (const t of texts(20000)) {
      assert.deepEqual(splitRoleMessages(t, literalMarker, 'system', 'user'), referenceSplit(t, literalMarker, 'system', 'user'), JSON.stringify(t));
      assert.deepEqual(splitRoleMessages(t, literalMarker, 'system', 'system'), referenceSplit(t, literalMarker, 'system', 'system'), JSON.stringify(t));
    }
  });

  it('with a marker hint, only lines holding it are matched, with the same messages', () => {
    for (const t of texts(20000)) {
      assert.deepEqual(splitRoleMessages(t, placeholderMarker, 'system', 'user', HINT), referenceSplit(t, placeholderMarker, 'system', 'user'), JSON.stringify(t));
    }
  });
});
