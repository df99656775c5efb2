// What we register, MLflow's Python client serves: each example prompt loads by alias with the
// right type, formats to ready messages (or text) with no frontmatter, role markers or template
// tags left, and carries the file's model as model_config. The other way round, prompts
// registered from Python pull into files that parse clean and render what Python's format() gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import type { ParsedPrompt } from '../../../src/core/prompts/promptTypes';
import { renderPrompt } from '../../../src/core/prompts/render';
import { planPull, registerInputFromFile } from '../../../src/core/registry/promptFileRegistration';
import { governanceFrom, moveAlias, registerPromptVersion } from '../../../src/core/registry/promptRegistry';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';

const examples = path.resolve(__dirname, '../../../examples/prompts');

/** Values for every variable: the file's defaults and samples, then a string for the rest. */
function varsFor(p: ParsedPrompt): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const i of p.inputs) if (i.default !== undefined) vars[i.name] = i.default;
  Object.assign(vars, p.sample ?? {});
  for (const v of p.variables) if (!(v in vars)) vars[v] = `value of ${v}`;
  return vars;
}

const trimEdges = (s: string) => s.replace(/^\s*\n/, '').replace(/\s+$/, '');

interface PyLoaded { isText: boolean; formatted: unknown; modelConfig: Record<string, unknown> | null; variables: string[] }

describe('MLflow server: prompts in MLflow\'s own forms, checked with its Python client', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
  });
  after(async function () {
    await store?.close();
    await server?.stop();
  });

  for (const file of ['summarize.prompty', 'classify.prompty', 'translate.md']) {
    it(`${file}: load_prompt("prompts:/…@production") formats to what the editor renders, with the file's model_config`, async function () {
      const text = fs.readFileSync(path.join(examples, file), 'utf8');
      const parsed = parsePromptFile(text, `prompts/${file}`);
      const reg = await registerPromptVersion(store, { ...registerInputFromFile(text, `prompts/${file}`, { commit: 'abc1234' }), commitMessage: 'from the examples' });
      const moved = await moveAlias(store, { name: parsed.name, alias: 'production', version: reg.version, note: 'ship', author: 'test', governance: governanceFrom(false) });
      assert.ok(moved.ok);
      const vars = varsFor(parsed);
      const py = await runMlflowPython<PyLoaded>(server.url, `
import json, mlflow
p = mlflow.genai.load_prompt("prompts:/${parsed.name}@production")
print(json.dumps({"isText": p.is_text_prompt, "formatted": p.format(**json.loads(${JSON.stringify(JSON.stringify(vars))})),
  "modelConfig": p.model_config, "variables": sorted(p.variables)}))
`);
      const ours = renderPrompt(parsed, vars);
      const leftovers = (s: string) => /\{%|%\}|\{\{|\}\}|^---$|^(system|user|assistant):\s*$/m.test(s);
      if (file.endsWith('.prompty')) {
        assert.equal(py.isText, false, 'a Prompty file is a chat prompt');
        const messages = py.formatted as { role: string; content: string }[];
        assert.deepEqual(messages.map((m) => m.role), ours.messages.map((m) => m.role));
        assert.deepEqual(messages.map((m) => trimEdges(m.content)), ours.messages.map((m) => m.content));
        for (const m of messages) assert.ok(!leftovers(m.content), `unrendered template or markers in: ${m.content}`);
      } else {
        assert.equal(py.isText, true, 'a template without role sections is a text prompt');
        assert.equal(typeof py.formatted, 'string');
        assert.equal(trimEdges(py.formatted as string), ours.text);
        assert.ok(!leftovers(py.formatted as string), `unrendered template or frontmatter in: ${py.formatted}`);
      }
      const m = parsed.model!;
      assert.equal(py.modelConfig?.model_name, m.id);
      assert.equal(py.modelConfig?.temperature, m.parameters.temperature);
      assert.equal(py.modelConfig?.max_tokens, m.parameters.max_tokens);
      assert.equal(py.modelConfig?.provider, m.provider);
    });
  }

  it('chat and text prompts registered from Python pull into files that parse clean and render what format() gives', async function () {
    const vars = { name: 'Ada', topic: 'compilers', style: '{not a var}' };
    const py = await runMlflowPython<{ chat: { role: string; content: string }[]; text: string }>(server.url, `
import json, mlflow
mlflow.genai.register_prompt(name="py-chat", template=[
  {"role": "system", "content": "You are a tutor on {{ topic }}. Answer in {{style}} style."},
  {"role": "user", "content": "Hi, I am {{name}}. Keep {{ literal | upper }} as it is."}],
  model_config={"model_name": "gpt-4o", "temperature": 0.1, "max_tokens": 100})
mlflow.genai.register_prompt(name="py-text", template="Dear {{ name }},\\nuser:\\nhere is {{topic}}.")
vars = json.loads(${JSON.stringify(JSON.stringify(vars))})
chat = mlflow.genai.load_prompt("prompts:/py-chat/1").format(**vars)
text = mlflow.genai.load_prompt("prompts:/py-text@latest").format(**vars)
print(json.dumps({"chat": chat, "text": text}))
`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-pull-'));
    try {
      const chatPlan = await planPull(store, 'py-chat', { version: '1' }, { root });
      assert.equal(path.relative(root, chatPlan.target), path.join('prompts', 'py-chat.prompty'));
      const chat = parsePromptFile(chatPlan.text, 'prompts/py-chat.prompty');
      assert.deepEqual(chat.diagnostics, [], 'the pulled chat prompt parses without a problem');
      assert.deepEqual(renderPrompt(chat, vars).messages, py.chat.map((m) => ({ role: m.role, content: m.content })));
      assert.equal(chat.model?.id, 'gpt-4o');
      assert.equal(chat.model?.parameters.temperature, 0.1);

      const textPlan = await planPull(store, 'py-text', {}, { root });
      assert.equal(path.relative(root, textPlan.target), path.join('prompts', 'py-text.md'));
      const text = parsePromptFile(textPlan.text, 'prompts/py-text.md');
      assert.deepEqual(text.diagnostics, []);
      const rendered = renderPrompt(text, vars);
      assert.equal(rendered.text, py.text);
      assert.equal(rendered.messages.length, 1, "a line reading 'user:' in a text prompt stays text");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
