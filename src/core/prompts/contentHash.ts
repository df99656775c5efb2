import { createHash } from 'node:crypto';

/**
 * The text a prompt's identity is computed from: no BOM, LF line ends, no trailing whitespace
 * on any line, exactly one final newline. Editors and git autocrlf churn none of these.
 */
export function normalizePromptContent(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = withoutBom.split(/\r\n|\r|\n/).map((line) => line.replace(/[ \t\f\v]+$/, ''));
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

/** sha256 hex of the normalized content; recorded with every run as the prompt's content hash. */
export function normalizedContentHash(text: string): string {
  return createHash('sha256').update(normalizePromptContent(text), 'utf8').digest('hex');
}

/** The 12-character form shown in CodeLens, hovers and run names. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
