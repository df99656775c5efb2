import Mustache from 'mustache';
import { bodyPositionMapper } from './bodyPositions';
import { mustacheTags } from './templateSyntax';

/**
 * Prompty's optional mustache engine, rendered by the `mustache` package (variables, dotted names,
 * sections, inverted sections, comments, set-delimiter). No HTML escaping: prompts are not HTML,
 * and object values render as JSON like the Jinja2 engine's, not as "[object Object]".
 *
 * Partials (`{{> name}}`) are not supported: a prompt file is one self-contained template that the
 * registry stores and MLflow renders as is, and there is no partial lookup MLflow would share.
 * A partial is an error with its line (here and in the editor's diagnostics), never dropped text.
 */
export class MustachePartialError extends Error {
  /** 0-based line in the template passed to renderMustache. */
  readonly line: number;
  constructor(name: string, line: number) {
    super(`Mustache partial '{{> ${name}}}' is not supported: paste the partial's text into this prompt instead.`);
    this.name = 'MustachePartialError';
    this.line = line;
  }
}

/** The first partial tag in the template, with its 0-based line, if there is one. */
export function findMustachePartial(template: string): { name: string; start: number; end: number; line: number } | undefined {
  const tag = mustacheTags(template).find((t) => t.sigil === '>' && !t.unclosed);
  if (!tag) return undefined;
  return { name: tag.name, start: tag.start, end: tag.end, line: bodyPositionMapper(template)(tag.start).line };
}

const options = { escape: toText };

export function renderMustache(template: string, view: Record<string, unknown>): string {
  const partial = findMustachePartial(template);
  if (partial) throw new MustachePartialError(partial.name, partial.line);
  // The partials lookup is there so a partial that slips past the scan above (e.g. after a
  // set-delimiter tag) fails loudly too instead of rendering as nothing.
  return Mustache.render(template, view, (name) => { throw new MustachePartialError(name, 0); }, options);
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
