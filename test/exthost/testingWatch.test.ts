// Watch mode = the Test Explorer's continuous run, in the real extension host against the
// loopback fake LLM: each save of the prompt re-runs the suite, and after a one-line change that
// only 10 of 1,000 cases render, exactly 10 requests reach the model.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../helpers/fakeLlmServer';
import { services, waitFor, WS } from './evalHelpers';

const dir = path.join(WS, 'watch');
const prompt = (brief: string) => `---\nname: tone\ntemplate:\n  format:\n    kind: jinja2\n---\nsystem:\nAnswer the question.\n{% if kind == "short" %}\n${brief}\n{% endif %}\n\nuser:\n{{ q }}\n`;

describe('Test Explorer: watch mode (continuous run)', function () {
  this.timeout(180_000);
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer({ recordBodies: false });
    server.setBehavior(behaviors.echo());
    process.env.PL_WATCH_FAKE_KEY = 'sk-watch';
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tone.prompty'), prompt('Be brief.'));
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { q: `question ${i}`, kind: i % 100 === 0 ? 'short' : 'long' } }));
    fs.writeFileSync(path.join(dir, 'tone.jsonl'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'tone.eval.yaml'), `prompt: tone.prompty\ndataset: tone.jsonl\nconcurrency: 32\nmodels:\n  - provider: openai\n    model: fake-model\n    baseUrl: ${server.url}/v1\n    apiKeyEnv: PL_WATCH_FAKE_KEY\nscorers:\n  - type: contains\n    value: "{{q}}"\n`);
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function saveWith(from: string, to: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(path.join(dir, 'tone.prompty'));
    const at = doc.getText().indexOf(from);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
  }

  it('after a one-line change affecting 10 of 1,000 cases, exactly 10 requests reach the model', async () => {
    const { testing } = await services();
    const t = testing!;
    await t.tree.discoverSuites();
    const suite = t.controller.items.get(path.join(dir, 'tone.eval.yaml'));
    assert.ok(suite, 'suite item');
    const cts = new vscode.CancellationTokenSource();
    try {
      void t.profile.runHandler(new vscode.TestRunRequest([suite], undefined, t.profile, true), cts.token);
      const passes = t.watchPasses;
      await saveWith('Be brief.', 'Be short.');
      await waitFor(() => t.watchPasses >= passes + 1, 'the first watch pass', 120_000);
      assert.equal(server.requests.length, 1000, 'nothing cached yet: every case is sent');
      server.resetStats();
      await saveWith('Be short.', 'Be very short.');
      await waitFor(() => t.watchPasses >= passes + 2, 'the second watch pass', 120_000);
      assert.equal(server.requests.length, 10);
    } finally {
      cts.cancel();
      cts.dispose();
    }
    // Stopped: a save runs nothing.
    server.resetStats();
    const done = t.watchPasses;
    await saveWith('Be very short.', 'Be brief.');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(t.watchPasses, done);
    assert.equal(server.requests.length, 0);
  });
});
