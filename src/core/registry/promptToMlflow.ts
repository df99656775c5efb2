// A prompt file → the form MLflow 3 serves natively: a Prompty (v1/v2) or a template with role
// sections becomes a chat prompt (one message per role section, Jinja kept in each message the
// way MLflow's PromptVersion.format() renders it); a template without roles becomes a text
// prompt. The model settings become model_config / response_format; description, tags and
// inputs become version tags. What MLflow cannot hold is refused, what it has no place for is
// named in `notCarried` — nothing is dropped silently.
import { parseNunjucks } from '../prompts/nunjucksAst';
import { isRecord } from '../prompts/promptNormalize';
import type { ParsedPrompt } from '../prompts/promptTypes';
import { literalMarker, ROLE_MARKER, trimBlankLines } from '../prompts/roleMessages';
import { mustacheTags } from '../prompts/templateSyntax';
import type { Tag } from '../tracking/types';
import { modelConfigOf } from './modelConfigForm';
import { isJinjaForm, MLFLOW_VARIABLE, type ChatMessageTemplate, type MlflowPromptForm } from './promptForm';
import { pythonJsonDumps } from '../tracking/pythonJson';
import { TAG } from './registryTags';

/**
 * A statement that renders nothing. MLflow switches to Jinja2 only when it sees `{%…%}`, so a
 * template whose expressions need Jinja (filters, `{# #}`, `x[0]`) but has no statement gets this
 * in front of its first message; pulling strips it again.
 */
export const JINJA_MODE_MARKER = '{% if true %}{% endif %}';

/** Input kinds that carry media or a conversation: MLflow prompts hold text only. */
const UNREPRESENTABLE_KINDS = new Set(['image', 'file', 'audio', 'video', 'thread']);

export interface ConvertedPrompt {
  form: MlflowPromptForm;
  /** Version tags for the file's description, tags and inputs. */
  metadataTags: Tag[];
  /** What the file says that MLflow's forms have no place for (shown in the panel and the CLI). */
  notCarried: string[];
}

/** Why a prompt cannot be registered as it is, at a file position (0-based). */
export class PromptConversionError extends Error {
  constructor(readonly filePath: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${filePath}:${line + 1}:${column + 1}: ${reason}`);
    this.name = 'PromptConversionError';
  }
}

/** `sourceText` is the file's text (positions of frontmatter fields in errors). */
export function toMlflowForm(prompt: ParsedPrompt, sourceText = ''): ConvertedPrompt {
  const sourceLines = sourceText.split(/\r\n|\r|\n/);
  const lineOf = (key: string) => frontmatterLine(sourceLines, prompt.bodyStartLine, key);
  const fail = (line: number, reason: string, column = 0): never => { throw new PromptConversionError(prompt.filePath, line, column, reason); };
  const error = prompt.diagnostics.find((d) => d.severity === 'error');
  if (error) fail(error.line, `${error.message} (fix this before registering: the registry only takes prompts that parse)`, error.column);

  for (const input of prompt.inputs) {
    if (input.type && UNREPRESENTABLE_KINDS.has(input.type.toLowerCase())) {
      fail(lineOf(input.name), `input '${input.name}' is of kind '${input.type}': MLflow prompt versions hold text templates only, so media and thread inputs cannot be registered. Pass the media in the application's request instead.`);
    }
  }
  if (prompt.templateEngine === 'mustache') {
    const section = mustacheTags(prompt.body).find((t) => t.sigil === '#' || t.sigil === '^');
    if (section) fail(prompt.bodyStartLine + lineAt(prompt.body, section.start), `Mustache section '{{${section.sigil}${section.name}}}' has no MLflow form: MLflow renders {{ var }} substitution or Jinja2. Use template format jinja2 ({% if ${section.name} %}…{% endif %}).`);
  }

  const notCarried: string[] = [];
  const model = modelConfigOf(prompt);
  if (model.problems.length > 0) {
    const p = model.problems[0];
    fail(lineOf(p.field.split('.').pop() ?? p.field), `'${p.field}': ${p.message}. Fix the value (MLflow's client would refuse it).`);
  }
  notCarried.push(...model.notCarried);
  if (isRecord(prompt.frontmatter.template) && isRecord(prompt.frontmatter.template.format) && prompt.frontmatter.template.format.strict === false) {
    notCarried.push('template.format.strict: false (MLflow renders each message on its own, so a value can never start a new message)');
  }
  for (const key of ['tools', 'outputs', 'base']) if (prompt.frontmatter[key] !== undefined) notCarried.push(`'${key}' (MLflow prompt versions have no field for it; kept in the registered source text)`);

  const sections = roleSections(prompt, fail, notCarried);
  const form: MlflowPromptForm = sections
    ? { type: 'chat', messages: sections }
    : { type: 'text', template: trimBlankLines(prompt.body.replace(/\r\n?/g, '\n')) };
  if (needsJinja(prompt, form) && !isJinjaForm(form)) {
    if (form.type === 'chat') form.messages[0] = { ...form.messages[0], content: JINJA_MODE_MARKER + form.messages[0].content };
    else form.template = JINJA_MODE_MARKER + form.template;
  }
  if (model.modelConfig) form.modelConfig = model.modelConfig;
  if (model.responseFormat) form.responseFormat = model.responseFormat;
  return { form, metadataTags: metadataTags(prompt), notCarried };
}

/**
 * The body split on literal role markers, as message templates; undefined for a template without
 * markers (a text prompt). Prompty text before the first marker is the system message.
 */
function roleSections(prompt: ParsedPrompt, fail: (line: number, reason: string) => never, notCarried: string[]): ChatMessageTemplate[] | undefined {
  const lines = prompt.body.replace(/\r\n?/g, '\n').split('\n');
  const markers = lines.map((line, i) => ({ i, role: literalMarker(line) })).filter((m) => m.role !== undefined);
  const prompty = prompt.format !== 'template';
  if (markers.length === 0 && !prompty) return undefined;
  const sections: { role: string; start: number; lines: string[] }[] = [{ role: 'system', start: 0, lines: [] }];
  lines.forEach((line, i) => {
    const role = literalMarker(line);
    if (role) {
      if (/\[[^\]]*\]/.test(ROLE_MARKER.exec(line)?.[2] ?? '')) notCarried.push(`role attributes on line ${prompt.bodyStartLine + i + 1} ('${line.trim()}')`);
      sections.push({ role, start: i + 1, lines: [] });
    } else sections[sections.length - 1].lines.push(line);
  });
  const messages: ChatMessageTemplate[] = [];
  for (const s of sections) {
    const content = trimBlankLines(s.lines.join('\n'));
    if (!content) continue;
    if (prompt.templateEngine !== 'mustache') {
      try { parseNunjucks(content); } catch {
        fail(prompt.bodyStartLine + Math.max(0, s.start - 1), `the ${s.role} message is not a complete template on its own: a {% %} block crosses a role marker. MLflow renders each message separately; close the block before the next role marker (or open it after).`);
      }
    }
    messages.push({ role: s.role, content });
  }
  if (messages.length === 0) fail(prompt.bodyStartLine, 'the prompt has no message text: write the messages under role markers (system:, user:).');
  return messages;
}

/** True when some `{{ }}`/`{# #}` needs Jinja2, i.e. MLflow's plain `{{ var }}` substitution would leave it unrendered. */
function needsJinja(prompt: ParsedPrompt, form: MlflowPromptForm): boolean {
  if (prompt.templateEngine === 'mustache') return false;
  const texts = form.type === 'text' ? [form.template] : form.messages.map((m) => m.content);
  return texts.some((t) => t.includes('{#') || t.replace(MLFLOW_VARIABLE, '').includes('{{'));
}

function metadataTags(prompt: ParsedPrompt): Tag[] {
  const tags: Tag[] = [];
  if (prompt.description) tags.push({ key: TAG.description, value: prompt.description });
  const fm = prompt.frontmatter;
  const fileTags = fm.tags ?? (isRecord(fm.metadata) ? fm.metadata.tags : undefined);
  if (fileTags !== undefined) tags.push({ key: TAG.fileTags, value: pythonJsonDumps(fileTags) });
  if (prompt.inputs.length > 0) {
    const sample = prompt.sample ?? {};
    tags.push({
      key: TAG.inputs,
      value: pythonJsonDumps(prompt.inputs.map((i) => ({
        name: i.name, type: i.type, description: i.description, default: i.default, sample: sample[i.name] ?? i.sample, required: i.required,
      }))),
    });
  }
  return tags;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

/** The first frontmatter line that names `key` (a good-enough position for a field error). */
function frontmatterLine(lines: readonly string[], bodyStartLine: number, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(-\\s*)?(name:\\s*)?${escaped}\\b`);
  const found = lines.slice(0, bodyStartLine).findIndex((l) => pattern.test(l));
  return found >= 0 ? found : 0;
}
