// The conversion between prompt files and MLflow's forms, both ways: every example and fixture
// prompt survives file → MLflow → file rendering the same messages; what MLflow can't hold is
// refused at its line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import type { ParsedPrompt } from '../../../src/core/prompts/promptTypes';
import { renderPrompt } from '../../../src/core/prompts/render';
import { formTags, isJinjaForm, readFormTags, sameForm } from '../../../src/core/registry/promptForm';
import { promptFileFromMlflow } from '../../../src/core/registry/promptFromMlflow';
import { JINJA_MODE_MARKER, PromptConversionError, toMlflowForm } from '../../../src/core/registry/promptToMlflow';
import { pythonJsonDumps } from '../../../src/core/tracking/pythonJson';
import { TAG } from '../../../src/core/registry/registryTags';

const repo = path.resolve(__dirname, '../../..');
const listPrompts = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? listPrompts(p) : /\.(prompty|md|txt)$/.test(e.name) && e.name !== 'README.md' ? [p] : [];
});

/** Extra shapes the examples don't cover. */
const EXTRA: Record<string, string> = {
  'prompts/filters-only.prompty': '---\nname: shout\ninputs:\n  word: {type: string}\nmodel:\n  api: chat\n  parameters: {temperature: 0.5, top_p: 0.9, stop: ["END"], seed: 7}\n---\nsystem:\nShout.\n\nuser:\n{{ word | upper }} {# a comment #}\n',
  'prompts/mustache.prompty': '---\nname: hello\ntemplate: mustache\ninputs:\n  who: {type: string}\n---\nsystem:\nGreet {{who}} warmly.\n',
  'prompts/roles.md': '---\nname: roles\n---\nsystem:\nYou answer in {{ lang }}.\n\nuser:\n{{ question }}\n',
  'prompts/plain.txt': 'Translate {{ text }} into {{lang}}.\nA literal {not var} stays.\n',
  'prompts/v2-full.prompty': '---\nname: full\nmodel:\n  id: claude-x\n  provider: anthropic\n  options: {temperature: 0, maxOutputTokens: 50, topK: 5, frequencyPenalty: 0.5, stopSequences: ["\\n\\n"], responseFormat: {type: object, properties: {a: {type: string}}}}\ninputs:\n  - {name: items, kind: array, default: [a, b]}\n---\nsystem:\n{% for i in items %}- {{ i }}\n{% endfor %}\nuser:\nPick one.\nassistant:\nOK.\n',
};

function sources(): [string, string][] {
  const files = [...listPrompts(path.join(repo, 'examples')), ...listPrompts(path.join(repo, 'test/fixtures/prompts'))];
  return [...files.map((f) => [path.relative(repo, f), fs.readFileSync(f, 'utf8')] as [string, string]), ...Object.entries(EXTRA)];
}

function varsFor(p: ParsedPrompt): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const i of p.inputs) if (i.default !== undefined) vars[i.name] = i.default;
  Object.assign(vars, p.sample ?? {});
  for (const v of p.variables) if (!(v in vars)) vars[v] = `<${v}>`;
  return vars;
}

describe('MLflow prompt forms', () => {
  const clean = sources().filter(([file, text]) => !parsePromptFile(text, file).diagnostics.some((d) => d.severity === 'error'));

  it('covers the examples and the extra shapes', () => {
    assert.ok(clean.length >= 3 + Object.keys(EXTRA).length, `only ${clean.length} clean prompts found`);
  });

  for (const [file, text] of clean) {
    it(`${file}: file → MLflow → file renders the same messages`, () => {
      const parsed = parsePromptFile(text, file);
      const converted = toMlflowForm(parsed, text);
      const tags = [...formTags(converted.form), ...converted.metadataTags];
      // Through the tags, as a server would hand them back; without our source tag, so the file is generated.
      const form = readFormTags(tags)!;
      assert.ok(sameForm(form, converted.form));
      const pulled = promptFileFromMlflow({ name: parsed.name, version: '1', form, tags });
      assert.equal(pulled.original, false);
      const back = parsePromptFile(pulled.text, `prompts/${pulled.fileName}`);
      assert.deepEqual(back.diagnostics.filter((d) => d.severity !== 'info'), [], pulled.text);
      const vars = varsFor(parsed);
      assert.deepEqual(renderPrompt(back, vars).messages, renderPrompt(parsed, vars).messages);
      assert.ok(sameForm(toMlflowForm(back, pulled.text).form, form), 'the pulled file registers to the same form');
    });
  }

  it('turns role sections into chat messages and keeps Jinja in each message', () => {
    const text = fs.readFileSync(path.join(repo, 'examples/prompts/summarize.prompty'), 'utf8');
    const { form, notCarried } = toMlflowForm(parsePromptFile(text, 'prompts/summarize.prompty'), text);
    assert.equal(form.type, 'chat');
    assert.ok(form.type === 'chat' && form.messages.map((m) => m.role).join() === 'system,user');
    assert.ok(isJinjaForm(form), 'MLflow must render it with Jinja2');
    assert.deepEqual(form.modelConfig, { provider: 'openai', model_name: 'gpt-4o-mini', temperature: 0.2, max_tokens: 256 });
    assert.deepEqual(notCarried, []);
  });

  it('maps every model parameter spelling to MLflow fields, extras at top level, response format apart', () => {
    const { form } = toMlflowForm(parsePromptFile(EXTRA['prompts/v2-full.prompty'], 'prompts/v2-full.prompty'), EXTRA['prompts/v2-full.prompty']);
    assert.deepEqual(form.modelConfig, { provider: 'anthropic', model_name: 'claude-x', temperature: 0, max_tokens: 50, top_k: 5, frequency_penalty: 0.5, stop_sequences: ['\n\n'] });
    assert.deepEqual(form.responseFormat, { type: 'object', properties: { a: { type: 'string' } } });
    const v1 = toMlflowForm(parsePromptFile(EXTRA['prompts/filters-only.prompty'], 'prompts/f.prompty'), EXTRA['prompts/filters-only.prompty']).form;
    assert.deepEqual(v1.modelConfig, { temperature: 0.5, top_p: 0.9, stop_sequences: ['END'], seed: 7 });
  });

  it('forces Jinja mode for filters without a {% %} statement, and a pull strips the marker', () => {
    const text = EXTRA['prompts/filters-only.prompty'];
    const { form } = toMlflowForm(parsePromptFile(text, 'prompts/f.prompty'), text);
    assert.ok(form.type === 'chat' && form.messages[0].content.startsWith(JINJA_MODE_MARKER));
    const pulled = promptFileFromMlflow({ name: 'shout', version: '1', form, tags: formTags(form) });
    assert.ok(!pulled.text.includes(JINJA_MODE_MARKER));
  });

  it('a template without role sections is a text prompt; plain MLflow text keeps literal braces literal', () => {
    const { form } = toMlflowForm(parsePromptFile(EXTRA['prompts/plain.txt'], 'prompts/plain.txt'));
    assert.equal(form.type, 'text');
    const pulled = promptFileFromMlflow({ name: 'p', version: '2', form: { type: 'text', template: 'Use {{x}} and {{ y|upper }} and {% raw-ish' }, tags: [] });
    const back = parsePromptFile(pulled.text, 'prompts/p.md');
    assert.equal(renderPrompt(back, { x: '1', y: 'z' }).text, 'Use 1 and {{ y|upper }} and {% raw-ish');
  });

  it('gives back the registered file itself when its source tag matches the form', () => {
    const text = fs.readFileSync(path.join(repo, 'examples/prompts/classify.prompty'), 'utf8');
    const c = toMlflowForm(parsePromptFile(text, 'prompts/classify.prompty'), text);
    const tags = [...formTags(c.form), { key: TAG.sourceText, value: text }, { key: TAG.sourcePath, value: 'prompts/classify.prompty' }];
    assert.deepEqual(promptFileFromMlflow({ name: 'classify', version: '1', form: c.form, tags }), { text, fileName: 'classify.prompty', original: true });
    // Edited in MLflow's UI since (the form no longer matches the source): generated instead.
    const edited = { ...c.form, modelConfig: { model_name: 'other' } };
    assert.equal(promptFileFromMlflow({ name: 'classify', version: '2', form: edited, tags }).original, false);
  });

  describe('refuses what MLflow cannot hold, at its line', () => {
    const refuse = (file: string, text: string, line: number, pattern: RegExp) => {
      assert.throws(() => toMlflowForm(parsePromptFile(text, file), text), (e: unknown) => {
        assert.ok(e instanceof PromptConversionError, String(e));
        assert.equal(e.line + 1, line, e.message);
        assert.match(e.message, pattern);
        return true;
      });
    };
    it('an unparseable file', () => {
      const file = path.join(repo, 'test/fixtures/prompts/malformed/bad-yaml.prompty');
      refuse('bad-yaml.prompty', fs.readFileSync(file, 'utf8'), 6, /registry only takes prompts that parse/);
    });
    it('media and thread inputs', () => {
      refuse('m.prompty', '---\nname: m\ninputs:\n  - name: q\n  - name: photo\n    kind: image\n---\nuser:\n{{ q }} {{ photo }}\n', 5, /kind 'image'.*text templates only/);
    });
    it('a Mustache section', () => {
      refuse('s.prompty', '---\ntemplate: mustache\ninputs:\n  xs: {type: array}\n---\nsystem:\nhi\n{{#xs}}- {{.}}\n{{/xs}}\n', 8, /Mustache section/);
    });
    it('a {% %} block across a role marker', () => {
      refuse('b.prompty', '---\ninputs:\n  x: {type: boolean}\n---\nsystem:\n{% if x %}\nA\nuser:\nB\n{% endif %}\n', 5, /crosses a role marker/);
    });
    it('a model parameter MLflow\'s PromptModelConfig rejects', () => {
      refuse('t.prompty', '---\nname: t\nmodel:\n  parameters:\n    temperature: -1\n---\nsystem:\nhi\n', 5, /temperature ≥ 0/);
    });
  });

  it('names what it does not carry instead of dropping it', () => {
    const text = '---\nname: c\nmodel:\n  api: chat\n  configuration: {type: azure_openai, azure_endpoint: "${env:AZ}", azure_deployment: d}\n  parameters: {max_tokens: 5}\n  response: all\noutputs:\n  a: {type: string}\n---\nsystem:\nhi\n';
    const { notCarried, form } = toMlflowForm(parsePromptFile(text, 'c.prompty'), text);
    assert.deepEqual(form.modelConfig, { provider: 'azure_openai', model_name: 'd', max_tokens: 5 });
    assert.equal(notCarried.length, 3, notCarried.join('\n'));
    assert.match(notCarried.join('\n'), /azure_endpoint.*never in the registry/);
    assert.match(notCarried.join('\n'), /model.response 'all'/);
    assert.match(notCarried.join('\n'), /'outputs'/);
  });

  it('writes JSON exactly as Python\'s json.dumps does', () => {
    assert.equal(pythonJsonDumps([{ role: 'user', content: 'Grüße "x"\n😀' }]), '[{"role": "user", "content": "Gr\\u00fc\\u00dfe \\"x\\"\\n\\ud83d\\ude00"}]');
    assert.equal(pythonJsonDumps({ a: 1, b: [true, null], c: 0.5 }), '{"a": 1, "b": [true, null], "c": 0.5}');
  });
});
