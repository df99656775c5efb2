/** Splits a prompt file into its frontmatter text and body, keeping line numbers of the whole file. */

export interface FrontmatterSplit {
  /** The text between the delimiters (undefined when the file has no frontmatter). */
  frontmatterText?: string;
  /** 0-based file line of the first frontmatter line. */
  frontmatterStartLine: number;
  body: string;
  /** 0-based file line where the body starts. */
  bodyStartLine: number;
  /** The opening delimiter was found but never closed. */
  unterminated: boolean;
  /** Length of the opening delimiter line, to place diagnostics on it. */
  openingLength: number;
}

const DELIMITERS = ['---', '+++'];

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits on \n, \r\n or \r so line numbers agree with editors. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function splitFrontmatter(rawText: string): FrontmatterSplit {
  const text = stripBom(rawText);
  const lines = splitLines(text);
  const opening = lines[0]?.trimEnd() ?? '';
  if (!DELIMITERS.includes(opening)) {
    return { body: text, bodyStartLine: 0, frontmatterStartLine: 0, unterminated: false, openingLength: 0 };
  }
  const closeIndex = lines.findIndex((line, i) => i > 0 && line.trimEnd() === opening);
  if (closeIndex < 0) {
    // Without a closing delimiter we cannot tell YAML from body; keep the rest as body so
    // nothing is silently dropped, and let the caller report it.
    return {
      body: lines.slice(1).join('\n'),
      bodyStartLine: 1,
      frontmatterStartLine: 1,
      unterminated: true,
      openingLength: lines[0].length,
    };
  }
  return {
    frontmatterText: lines.slice(1, closeIndex).join('\n'),
    frontmatterStartLine: 1,
    body: lines.slice(closeIndex + 1).join('\n'),
    bodyStartLine: closeIndex + 1,
    unterminated: false,
    openingLength: lines[0].length,
  };
}
