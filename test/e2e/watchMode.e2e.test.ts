// In a real VS Code (code-server + Chromium), against the loopback fake LLM: turn on the Test
// Explorer's continuous run on a 1,000-case suite, save a one-line prompt change that 10 cases
// render, and only those 10 re-run — counted at the fake and read back from the recorded run
// (cache_hit_rate). Screenshot in test-output/e2e/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../helpers/fakeLlmServer';
import { openEmbeddedStore } from '../../src/core/tracking/local/embeddedStore';
import { EMBEDDED_DIR_NAME } from '../../src/core/tracking/trackingUri';
import type { Run } from '../../src/core/tracking/types';

const PROMPT = `---\nname: tone\ntemplate:\n  format:\n    kind: jinja2\n---\nsystem:\nAnswer the question.\n{% if kind == "short" %}\nBe brief.\n{% endif %}\n\nuser:\n{{ q }}\n`;

describe('watch mode in the real VS Code UI', function () {
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer({ recordBodies: false });
    server.setBehavior(behaviors.echo());
    process.env.PL_WATCH_FAKE_KEY = 'sk-watch';
  });
  after(async () => { await server?.stop(); });
  const ui = useWorkbench({
    workspace: () => {
      const ws = makeExampleWorkspace();
      fs.writeFileSync(path.join(ws.dir, 'tone.prompty'), PROMPT);
      const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { q: `question ${i}`, kind: i % 100 === 0 ? 'short' : 'long' } }));
      fs.writeFileSync(path.join(ws.dir, 'tone.jsonl'), `${lines.join('\n')}\n`);
      fs.writeFileSync(path.join(ws.dir, 'tone.eval.yaml'), `prompt: tone.prompty\ndataset: tone.jsonl\nconcurrency: 32\nmodels:\n  - provider: openai\n    model: fake-model\n    baseUrl: ${server.url}/v1\n    apiKeyEnv: PL_WATCH_FAKE_KEY\nscorers:\n  - type: contains\n    value: "{{q}}"\n`);
      return ws;
    },
    failureShot: 'watch-mode-failure.png',
  });
  const shots = screenshotDir('e2e');

  /** The finished runs of the tone suite, newest first (read from the workspace store, as the CLI would). */
  async function toneRuns(): Promise<Run[]> {
    const store = await openEmbeddedStore(path.join(ui.ws.dir, EMBEDDED_DIR_NAME));
    try {
      const exps = (await store.searchExperiments({ maxResults: 100 })).items.filter((e) => e.name === 'tone');
      if (exps.length === 0) return [];
      const runs = (await store.searchRuns({ experimentIds: exps.map((e) => e.experimentId), maxResults: 50, orderBy: ['attributes.start_time DESC'] })).items;
      return runs.filter((r) => r.info.status === 'FINISHED');
    } finally {
      await store.close();
    }
  }

  async function waitForRuns(n: number): Promise<Run[]> {
    const end = Date.now() + 120_000;
    for (;;) {
      const runs = await toneRuns();
      if (runs.length >= n) return runs;
      if (Date.now() > end) throw new Error(`expected ${n} finished runs of tone, got ${runs.length}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Appends text to the line holding `needle` in the open editor, then saves. */
  async function editLineAndSave(needle: string, append: string): Promise<void> {
    const { page } = ui;
    await page.locator('.monaco-editor .view-line', { hasText: needle }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(append);
    await page.keyboard.press('Control+S');
  }

  it('after a one-line save that 10 of 1,000 cases render, only those 10 reach the model', async () => {
    const { page } = ui;
    await runCommand(page, 'Testing: Focus on Test Explorer View');
    const row = page.locator('.test-explorer .monaco-list-row', { hasText: 'tone' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label*="Continuous" i]').first().click();

    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('tone.prompty');
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'tone.prompty' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab[data-resource-name="tone.prompty"]').first().waitFor({ timeout: 15_000 });

    await editLineAndSave('Be brief.', ' Now.');
    const [first] = await waitForRuns(1);
    assert.equal(server.requests.length, 1000, 'nothing cached yet: every case is sent');
    assert.equal(first.data.metrics.find((m) => m.key === 'cache_hit_rate')?.value, 0);

    server.resetStats();
    await editLineAndSave('Be brief. Now.', ' Really.');
    const [second] = await waitForRuns(2);
    assert.equal(server.requests.length, 10);
    const hitRate = second.data.metrics.find((m) => m.key === 'cache_hit_rate')?.value;
    assert.equal(hitRate, 0.99, '990 of 1,000 rows came from the cache: 10 re-ran');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(shots, 'watch-mode-10-of-1000.png') });
  });
});
