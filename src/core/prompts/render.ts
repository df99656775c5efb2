import { randomBytes } from 'node:crypto';
import nunjucks from 'nunjucks';
import { MustachePartialError, renderMustache } from './mustache';
import { isRecord } from './promptNormalize';
import type { MessageRole, ParsedPrompt, RenderedPrompt, TemplateEngine } from './promptTypes';
import { literalMarker, splitRoleMessages, trimBlankLines } from './roleMessages';
import { findVariableUsages, uniqueNames } from './templateVariables';

/** Thrown when the template references variables that neither `vars` nor input defaults provide. */
export class MissingVariableError extends Error {
  readonly variables: string[];
  readonly filePath: string;
  constructor(variables: string[], filePath: string) {
    const list = variables.map((v) => `'${v}'`).join(', ');
    super(
      `${filePath}: no value for template variable${variables.length > 1 ? 's' : ''} ${list}. ` +
        `Provide ${variables.length > 1 ? 'them' : 'it'} (e.g. as dataset columns) or give the input a 'default' in the frontmatter.`,
    );
    this.name = 'MissingVariableError';
    this.variables = variables;
    this.filePath = filePath;
  }
}

/** Any other failure while rendering (a filter that does not exist, output of an undefined attribute…). */
export class PromptRenderError extends Error {
  readonly filePath: string;
  /** 0-based file line, when the engine reported one. */
  readonly line?: number;
  constructor(message: string, filePath: string, line?: number) {
    super(`${filePath}${line !== undefined ? `:${line + 1}` : ''}: ${message}`);
    this.name = 'PromptRenderError';
    this.filePath = filePath;
    this.line = line;
  }
}

/** Top-level variable names the body references (loop-locals, `set` targets and macro args excluded). */
export function templateVariables(body: string, engine: TemplateEngine = 'jinja2'): string[] {
  return uniqueNames(findVariableUsages(body, engine));
}

// Per process, so compiled templates can be cached; it never appears in rendered output, so
// dataset values cannot learn it.
const nonce = randomBytes(8).toString('hex');

// One environment for all renders: no loaders (no file access from templates), no HTML escaping,
// and undefined output is an error rather than an empty string that hides a typo.
let environment: nunjucks.Environment | undefined;
function jinjaEnvironment(): nunjucks.Environment {
  environment ??= new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
  return environment;
}

/**
 * Renders the body with `vars` (input defaults fill gaps), then splits it into chat messages on
 * role marker lines. Markers must be written in the template itself: they are swapped for a nonce
 * before rendering, so a value containing "user:" cannot forge a message (Prompty's strict mode).
 */
export function renderPrompt(prompt: ParsedPrompt, vars: Record<string, unknown>): RenderedPrompt {
  const context: Record<string, unknown> = {};
  for (const input of prompt.inputs) if (input.default !== undefined) context[input.name] = input.default;
  for (const key in vars) if (vars[key] !== undefined) context[key] = vars[key];

  const shape = renderShape(prompt);
  for (const name of shape.needed) {
    if (!(name in context)) throw new MissingVariableError(shape.needed.filter((n) => !(n in context)), prompt.filePath);
  }

  const rendered = renderBody(prompt, shape.source, context);
  const messages = splitRoleMessages(rendered, shape.isMarker, 'system', prompt.format === 'template' ? 'user' : 'system', shape.strict ? PLACEHOLDER_PREFIX : undefined);
  return new Rendered(messages, rendered, shape.strict);
}

/**
 * A render: its messages, and its whole text made only when asked for (the echo and command
 * providers, the dataset check): an HTTP call sends the messages, so most renders never pay for
 * it. A class, so the getter sits on the prototype instead of in every render.
 */
class Rendered implements RenderedPrompt {
  private whole: string | undefined;

  constructor(readonly messages: RenderedPrompt['messages'], private readonly rendered: string, private readonly strict: boolean) {}

  get text(): string {
    this.whole ??= trimBlankLines(this.strict ? this.rendered.replace(PLACEHOLDER_ANYWHERE, '$1:') : this.rendered);
    return this.whole;
  }
}

/**
 * How an eval case renders: its vars over the prompt's sample values. The one rule for the call
 * (caseExecutor), the cost estimate and the case trace's messages.
 */
export function renderCase(prompt: ParsedPrompt, vars: Record<string, unknown>): RenderedPrompt {
  return renderPrompt(prompt, { ...(prompt.sample ?? {}), ...vars });
}

const PLACEHOLDER_PREFIX = `__PROMPT_LEDGER_ROLE_${nonce}_`;
const PLACEHOLDER_LINE = new RegExp(`^__PROMPT_LEDGER_ROLE_${nonce}_(system|user|assistant|developer)__$`);
const PLACEHOLDER_ANYWHERE = new RegExp(`__PROMPT_LEDGER_ROLE_${nonce}_(\\w+)__`, 'g');

/** What rendering needs of a prompt besides the values: the same for every case of a run, so made once per prompt. */
interface RenderShape {
  /** The body it was made from (a prompt whose body was replaced gets a new shape). */
  body: string;
  strict: boolean;
  /** The body with its role markers swapped for placeholders (strict), or as written. */
  source: string;
  isMarker: (line: string) => MessageRole | undefined;
  /** Variables without which the body cannot render (neither optional nor only tested for presence). */
  needed: string[];
}
const shapes = new WeakMap<ParsedPrompt, RenderShape>();

function renderShape(prompt: ParsedPrompt): RenderShape {
  const known = shapes.get(prompt);
  if (known?.body === prompt.body) return known;
  const optional = new Set(prompt.inputs.filter((i) => !i.required).map((i) => i.name));
  const usages = cachedUsages(prompt.body, prompt.templateEngine);
  for (const usage of usages) if (usage.presenceTest) optional.add(usage.name);
  const strict = !isNonStrict(prompt.frontmatter.template);
  const source = strict
    ? prompt.body
        .split('\n')
        .map((line) => {
          const role = literalMarker(line);
          return role ? `__PROMPT_LEDGER_ROLE_${nonce}_${role}__` : line;
        })
        .join('\n')
    : prompt.body;
  const shape: RenderShape = {
    body: prompt.body,
    strict,
    source,
    isMarker: strict ? (line: string) => PLACEHOLDER_LINE.exec(line.trim())?.[1] as MessageRole | undefined : literalMarker,
    needed: uniqueNames(usages).filter((name) => !optional.has(name)),
  };
  shapes.set(prompt, shape);
  return shape;
}

function renderBody(prompt: ParsedPrompt, source: string, context: Record<string, unknown>): string {
  if (prompt.templateEngine === 'mustache') {
    try {
      return renderMustache(source, context);
    } catch (err) {
      const line = err instanceof MustachePartialError ? err.line : undefined;
      throw new PromptRenderError((err as Error).message, prompt.filePath, line !== undefined ? line + prompt.bodyStartLine : undefined);
    }
  }
  try {
    return compiledTemplate(source).render(context);
  } catch (err) {
    const e = err as Error & { lineno?: number };
    // nunjucks puts "(unknown path) [Line n, Column m]" in front of the real reason.
    const lineMatch = /\[Line (\d+)/.exec(e.message);
    const bodyLine = lineMatch ? Number(lineMatch[1]) - 1 : undefined;
    const reason = e.message.replace(/^\(unknown path\)\s*(\[[^\]]*\])?\s*/, '').replace(/^Error:\s*/, '').trim();
    throw new PromptRenderError(
      `${reason}. Check the template expression on this line and the values passed to it.`,
      prompt.filePath,
      bodyLine !== undefined ? bodyLine + prompt.bodyStartLine : undefined,
    );
  }
}

// Evals render one prompt for every case: its variable references are found once per body, not
// once per case (parsing the template was ~11 % of a 50,000-case run's CPU).
const usagesByBody = new Map<string, ReturnType<typeof findVariableUsages>>();
function cachedUsages(body: string, engine: TemplateEngine): ReturnType<typeof findVariableUsages> {
  const key = `${engine}\u0000${body}`;
  let usages = usagesByBody.get(key);
  if (!usages) {
    usages = findVariableUsages(body, engine);
    if (usagesByBody.size >= MAX_COMPILED) usagesByBody.delete(usagesByBody.keys().next().value as string);
    usagesByBody.set(key, usages);
  }
  return usages;
}

// Evals render one prompt for every case; compiling once per body makes that ~10x cheaper.
const compiled = new Map<string, nunjucks.Template>();
const MAX_COMPILED = 64;
function compiledTemplate(source: string): nunjucks.Template {
  let template = compiled.get(source);
  if (!template) {
    template = new nunjucks.Template(source, jinjaEnvironment(), undefined, true);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, template);
  }
  return template;
}

/** Prompty v2 `template: {format: {strict: false}}` turns off marker protection. */
function isNonStrict(template: unknown): boolean {
  return isRecord(template) && isRecord(template.format) && template.format.strict === false;
}

