// Any MLflow prompt version → a prompt file: a chat prompt becomes a Prompty v2 file, a text
// prompt a template with frontmatter. The file parses without problems and renders, for the same
// variables, the messages MLflow's PromptVersion.format() gives (string values). A version we
// registered ourselves comes back as the very file that was registered.
import { stringify } from 'yaml';
import { parsePromptFile } from '../prompts/promptFile';
import { normalizedContentHash } from '../prompts/contentHash';
import type { MessageRole } from '../prompts/promptTypes';
import { literalMarker } from '../prompts/roleMessages';
import { findVariableUsages, uniqueNames } from '../prompts/templateVariables';
import type { Tag } from '../tracking/types';
import { promptyV2Model, templateModel } from './modelConfigForm';
import { isJinjaForm, MLFLOW_VARIABLE, sameForm, type MlflowPromptForm } from './promptForm';
import { JINJA_MODE_MARKER, toMlflowForm } from './promptToMlflow';
import { TAG } from './registryTags';

const OUR_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant', 'developer'];

export interface PulledPrompt {
  /** The file's text. */
  text: string;
  /** `<name>.prompty` for chat prompts, `<name>.md` for text prompts (under a prompts/ folder). */
  fileName: string;
  /** True when this is the registered file itself (from the version's source tag). */
  original: boolean;
}

export interface PullSource {
  name: string;
  version: string;
  form: MlflowPromptForm;
  /** All of the version's tags. */
  tags: readonly Tag[];
}

export class PromptPullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptPullError';
  }
}

export function promptFileFromMlflow(source: PullSource): PulledPrompt {
  const fileName = `${source.name}.${source.form.type === 'chat' ? 'prompty' : 'md'}`;
  const original = registeredSource(source, fileName);
  if (original !== undefined) return { text: original, fileName, original: true };
  const text = source.form.type === 'chat' ? chatFile(source) : textFile(source);
  return { text, fileName, original: false };
}

/** The registered file's text, when its tag is there and still matches the version's form. */
function registeredSource(source: PullSource, fileName: string): string | undefined {
  const get = (k: string) => source.tags.find((t) => t.key === k)?.value;
  const text = get(TAG.sourceText);
  if (text === undefined) return undefined;
  const hash = get(TAG.contentHash);
  if (hash !== undefined && normalizedContentHash(text) !== hash) return undefined;
  const path = get(TAG.sourcePath) ?? fileName;
  try {
    return sameForm(toMlflowForm(parsePromptFile(text, path), text).form, source.form) ? text : undefined;
  } catch {
    return undefined;
  }
}

function chatFile(source: PullSource): string {
  if (source.form.type !== 'chat') throw new Error('chatFile needs a chat form');
  const jinja = isJinjaForm(source.form);
  const messages = source.form.messages.map((m, i) => {
    const role = m.role.toLowerCase() as MessageRole;
    if (!OUR_ROLES.includes(role)) {
      throw new PromptPullError(`${source.name} v${source.version}: message ${i + 1} has role '${m.role}'; prompt files know ${OUR_ROLES.join(', ')}. Pull a version without it, or change the role in the registry.`);
    }
    const content = i === 0 && m.content.startsWith(JINJA_MODE_MARKER) ? m.content.slice(JINJA_MODE_MARKER.length) : m.content;
    return { role, content: jinja ? protectMarkerLines(content) : plainToJinja(content) };
  });
  const variables = uniqueNames(messages.flatMap((m) => findVariableUsages(m.content, 'jinja2')));
  const frontmatter: Record<string, unknown> = { name: source.name, ...descriptive(source) };
  const model = promptyV2Model(source.form.modelConfig, source.form.responseFormat);
  if (model) frontmatter.model = model;
  frontmatter.inputs = inputsFor(source, variables);
  frontmatter.template = { format: { kind: 'jinja2' }, parser: { kind: 'prompty' } };
  const body = messages.map((m) => `${m.role}:\n${m.content}`).join('\n\n');
  return `---\n${stringify(frontmatter, { lineWidth: 0 })}---\n${body}\n`;
}

function textFile(source: PullSource): string {
  if (source.form.type !== 'text') throw new Error('textFile needs a text form');
  const raw = source.form.template.startsWith(JINJA_MODE_MARKER) ? source.form.template.slice(JINJA_MODE_MARKER.length) : source.form.template;
  const body = isJinjaForm(source.form) ? protectMarkerLines(raw) : plainToJinja(raw);
  const variables = uniqueNames(findVariableUsages(body, 'mlflow'));
  const frontmatter: Record<string, unknown> = { name: source.name, ...descriptive(source) };
  const model = templateModel(source.form.modelConfig, source.form.responseFormat);
  if (model) frontmatter.model = model;
  frontmatter.inputs = inputsFor(source, variables);
  return `---\n${stringify(frontmatter, { lineWidth: 0 })}---\n${body}\n`;
}

function descriptive(source: PullSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const get = (k: string) => source.tags.find((t) => t.key === k)?.value;
  const description = get(TAG.description);
  if (description) out.description = description;
  const tags = parseJson(get(TAG.fileTags));
  if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) out.metadata = { tags };
  return out;
}

/** Inputs as recorded at registration when present, else one string input per variable. */
function inputsFor(source: PullSource, variables: string[]): Record<string, unknown>[] {
  const recorded = parseJson(source.tags.find((t) => t.key === TAG.inputs)?.value);
  const known = new Map<string, Record<string, unknown>>();
  if (Array.isArray(recorded)) for (const r of recorded) if (r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string') known.set((r as { name: string }).name, r as Record<string, unknown>);
  return variables.map((name) => {
    const r = known.get(name);
    const input: Record<string, unknown> = { name, kind: typeof r?.type === 'string' ? r.type : 'string' };
    if (typeof r?.description === 'string') input.description = r.description;
    if (r?.default !== undefined && r.default !== null) input.default = r.default;
    if (r?.sample !== undefined && r.sample !== null) input.example = r.sample;
    if (r?.default === undefined || r.default === null) input.required = true;
    return input;
  });
}

/**
 * MLflow's plain substitution text → a Jinja template rendering the same: `{{ var }}` stays, and
 * any other `{{`, `{%` or `{#` is literal text there, so it goes inside `{% raw %}`.
 */
function plainToJinja(content: string): string {
  let out = '';
  let last = 0;
  for (const m of content.matchAll(MLFLOW_VARIABLE)) {
    out += literal(content.slice(last, m.index));
    out += m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return protectMarkerLines(out + literal(content.slice(last)));
}

function literal(text: string): string {
  return /\{[{%#]/.test(text) ? `{% raw %}${text}{% endraw %}` : text;
}

/** A content line that reads like a role marker would start a new message in a prompt file. */
function protectMarkerLines(content: string): string {
  return content.split('\n').map((line) => (literalMarker(line) ? `{{ ${JSON.stringify(line)} }}` : line)).join('\n');
}

function parseJson(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try { return JSON.parse(raw); } catch { return undefined; }
}
