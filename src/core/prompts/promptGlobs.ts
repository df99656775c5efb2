/** Which workspace files are prompts (and eval suites). Paths are workspace-relative. */

export const DEFAULT_PROMPT_GLOBS: readonly string[] = ['**/*.prompty', '**/prompts/**/*.{md,txt}'];

/**
 * Suffixes VS Code's chat owns (language ids prompt, instructions, chatagent, was chatmode):
 * never claimed, even inside a prompts folder, so two extensions don't fight over one file.
 */
const FOREIGN_SUFFIXES = ['.prompt.md', '.instructions.md', '.chatmode.md', '.agent.md'];

const cache = new Map<string, RegExp>();

/** Turns a glob into an anchored RegExp: `**` any depth (incl. none), `*` and `?` within a segment, `{a,b}` alternatives. */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      const slashAfter = glob[i + 2] === '/';
      if (atSegmentStart && slashAfter) {
        source += '(?:[^/]*/)*'; // `**/` : zero or more whole directories
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '{') {
      braceDepth++;
      source += '(?:';
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (ch === ',' && braceDepth > 0) source += '|';
    else source += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  cache.set(glob, regex);
  return regex;
}

function normalizePath(relPath: string): string {
  return relPath.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

export function isPromptPath(relPath: string, globs: readonly string[] = DEFAULT_PROMPT_GLOBS): boolean {
  const path = normalizePath(relPath);
  const lower = path.toLowerCase();
  if (FOREIGN_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return false;
  return globs.some((glob) => globToRegExp(glob).test(path));
}

export function isEvalSuitePath(relPath: string): boolean {
  return /\.eval\.ya?ml$/i.test(normalizePath(relPath));
}
