import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';

const examples = join(__dirname, '../../../examples/prompts');
const example = (file: string) => parsePromptFile(readFileSync(join(examples, file), 'utf8'), `examples/prompts/${file}`);

describe('prompts: parsePromptFile', () => {
  describe('Prompty v1', () => {
    it('reads the summarize example: model, inputs, sample, engine, variables', () => {
      const p = example('summarize.prompty');
      assert.equal(p.format, 'prompty-v1');
      assert.equal(p.name, 'summarize');
      assert.match(p.description ?? '', /Summarizes/);
      assert.deepEqual(p.model, { id: 'gpt-4o-mini', provider: 'openai', api: 'chat', parameters: { temperature: 0.2, max_tokens: 256 } });
      assert.deepEqual(
        p.inputs.map((i) => [i.name, i.type, i.required, i.default]),
        [
          ['text', 'string', true, undefined],
          ['bullets', 'boolean', false, false],
        ],
      );
      assert.equal(p.sample?.bullets, false);
      assert.equal(p.templateEngine, 'jinja2');
      assert.deepEqual(p.variables, ['bullets', 'text']);
      assert.deepEqual(p.diagnostics, []);
      assert.equal(p.bodyStartLine, 28);
      assert.equal(readFileSync(join(examples, 'summarize.prompty'), 'utf8').split('\n')[p.bodyStartLine], 'system:');
    });

    it('maps azure configuration and snake_case parameters (stop as a string becomes a list)', () => {
      const p = parsePromptFile(
        ['---', 'name: az', 'model:', '  api: completion', '  configuration:', '    type: azure_openai', '    azure_deployment: my-gpt', '    api_key: ${env:AZURE_KEY}', '  parameters:', '    top_p: 0.9', '    stop: "###"', '    seed: 7', '    response_format: {type: json_object}', '---', 'Hi'].join('\n'),
        'az.prompty',
      );
      assert.equal(p.format, 'prompty-v1');
      assert.deepEqual(p.model, { id: 'my-gpt', provider: 'azure_openai', api: 'completion', parameters: { top_p: 0.9, stop: ['###'], seed: 7, response_format: { type: 'json_object' } } });
      assert.ok(!JSON.stringify(p.model).includes('AZURE_KEY'), 'connection secrets never reach the normalized model');
    });

    it('accepts ${env:…} references where a number is expected', () => {
      const p = parsePromptFile('---\nversion: "1"\nmodel:\n  parameters:\n    temperature: ${env:TEMP}\n---\nHi\n', 'ref.prompty');
      assert.deepEqual(p.diagnostics, []);
    });

    it('reads +++ delimiters, mustache templates and scalar inputs as defaults', () => {
      const p = parsePromptFile('+++\nversion: 1\ntemplate: mustache\ninputs:\n  who: world\n+++\nHello {{who}}\n', 'hello.prompty');
      assert.equal(p.format, 'prompty-v1');
      assert.equal(p.templateEngine, 'mustache');
      assert.deepEqual(p.inputs, [{ name: 'who', default: 'world', required: false }]);
      assert.equal(p.name, 'hello');
      assert.equal(p.bodyStartLine, 6);
    });
  });

  describe('Prompty v2', () => {
    it('reads the classify example: model object with options, list inputs, template format', () => {
      const p = example('classify.prompty');
      assert.equal(p.format, 'prompty-v2');
      assert.deepEqual(p.model, { id: 'gpt-4o-mini', provider: 'openai', api: 'chat', parameters: { temperature: 0, max_tokens: 10 } });
      assert.deepEqual(
        p.inputs.map((i) => [i.name, i.type, i.required]),
        [
          ['ticket', 'string', true],
          ['categories', 'array', false],
        ],
      );
      assert.deepEqual(p.sample, { ticket: 'My invoice shows the wrong amount.' });
      assert.deepEqual(p.variables, ['categories', 'ticket']);
      assert.deepEqual(p.diagnostics, []);
    });

    it('reads a model given as a string and camelCase options', () => {
      const p = parsePromptFile('---\nmodel:\n  id: o3\n  apiType: responses\n  options: {topP: 0.5, maxOutputTokens: 99, stopSequences: [END], seed: 3}\n---\nx', 'a.prompty');
      assert.deepEqual(p.model, { id: 'o3', api: 'responses', parameters: { top_p: 0.5, max_tokens: 99, stop: ['END'], seed: 3 } });
      const s = parsePromptFile('---\nmodel: gpt-4o\n---\nx', 'b.prompty');
      assert.equal(s.format, 'prompty-v2');
      assert.deepEqual(s.model, { id: 'gpt-4o', api: 'chat', parameters: {} });
    });

    it('reads inputs as a name-keyed dict and as scalar shorthand (scalar = default)', () => {
      const p = parsePromptFile('---\nname: d\ninputs:\n  question:\n    kind: string\n    required: true\n    example: Why?\n  tone: friendly\n---\n{{ question }} {{ tone }}\n', 'd.prompty');
      assert.equal(p.format, 'prompty-v2');
      assert.deepEqual(p.inputs, [
        { name: 'question', type: 'string', required: true, sample: 'Why?' },
        { name: 'tone', default: 'friendly', required: false },
      ]);
      assert.deepEqual(p.diagnostics, []);
    });

    it('accepts unknown top-level keys (the v2 loader must not error on them)', () => {
      const p = parsePromptFile('---\nname: open\ndisplayName: Open\ncustomThing: 1\n---\nHi\n', 'open.prompty');
      assert.equal(p.format, 'prompty-v2');
      assert.deepEqual(p.diagnostics, []);
      assert.equal(p.frontmatter.customThing, 1);
    });

    it('reads template.format.kind mustache', () => {
      const p = parsePromptFile('---\ntemplate:\n  format: {kind: mustache}\n---\n{{#items}}{{name}}{{/items}}\n', 'm.prompty');
      assert.equal(p.templateEngine, 'mustache');
      assert.deepEqual(p.variables, ['items']);
    });
  });

  describe('templates', () => {
    it('reads the translate example: list inputs with a default, model object, mlflow engine', () => {
      const p = example('translate.md');
      assert.equal(p.format, 'template');
      assert.equal(p.templateEngine, 'mlflow');
      assert.equal(p.name, 'translate');
      assert.deepEqual(p.model, { id: 'gpt-4o-mini', api: 'chat', parameters: { temperature: 0.3 } });
      assert.deepEqual(
        p.inputs.map((i) => [i.name, i.default, i.required]),
        [
          ['text', undefined, true],
          ['language', 'French', false],
        ],
      );
      assert.deepEqual(p.diagnostics, []);
    });

    it('treats a file without frontmatter as all body, named after the file, with no declaration warnings', () => {
      const p = parsePromptFile('Hello {{ name }}!\r\nBye {{ name }}', 'repo/prompts/greet.txt');
      assert.equal(p.name, 'greet');
      assert.equal(p.bodyStartLine, 0);
      assert.deepEqual(p.frontmatter, {});
      assert.deepEqual(p.variables, ['name']);
      assert.deepEqual(p.diagnostics, []);
    });

    it('accepts a list of strings as inputs and open frontmatter keys', () => {
      const p = parsePromptFile('---\ninputs: [a, b]\nowner: team-x\ntags: {team: x}\n---\n{{ a }}{{ b }}', 'prompts/t.md');
      assert.deepEqual(p.inputs.map((i) => i.name), ['a', 'b']);
      assert.deepEqual(p.diagnostics, []);
    });

    it('warns about a duplicate input in a list', () => {
      const p = parsePromptFile('---\ninputs:\n  - a\n  - a\n---\n{{ a }}', 'prompts/t.md');
      const d = p.diagnostics.find((x) => x.code === 'duplicate-input');
      assert.ok(d);
      assert.deepEqual([d.line, d.column], [3, 4]);
    });
  });

  describe('template variables', () => {
    it('excludes loop locals, set targets, macro args and builtins; keeps filter arguments', () => {
      const body = '{% for row in rows %}{{ row.a }}{{ loop.index }}{% endfor %}{% set n = rows | length %}{{ n }}{{ title | default(fallback) }}{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1) }}{{ range(2) }}';
      const p = parsePromptFile(body, 'prompts/v.md');
      assert.deepEqual(p.variables, ['rows', 'title', 'fallback']);
    });

    it('v1 sample keys count as declarations', () => {
      const p = parsePromptFile('---\nversion: "1"\nsample:\n  q: hi\n---\n{{ q }}', 'q.prompty');
      assert.deepEqual(p.diagnostics, []);
    });
  });
});
