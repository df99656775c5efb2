// In a real VS Code (code-server + Chromium): Toggle Prompt Blame on an example prompt whose
// suite was run at two commits (the category list dropped, then restored) puts each line's commit
// and the pass-rate change after it; the restored lines read `▲100`, and their hover names the
// commit and the pass rate before and after. Screenshots in test-output/e2e/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { runSuite } from '../../src/core/eval/runner';
import { loadSuite } from '../../src/core/eval/suiteLoader';
import { openEmbeddedStore } from '../../src/core/tracking/local/embeddedStore';
import { EMBEDDED_DIR_NAME } from '../../src/core/tracking/trackingUri';

/** The editor line matching `text` whose after-line decoration matches `after`, once it shows. */
async function waitForDecoratedLine(page: Page, text: RegExp, after: RegExp, timeoutMs = 30_000): Promise<{ text: string; after: string }> {
  const end = Date.now() + timeoutMs;
  let seen: Array<{ text: string; after: string }> = [];
  while (Date.now() < end) {
    seen = await page.locator('.monaco-editor .view-lines .view-line').evaluateAll((els) => els.map((e) => ({
      text: (e.textContent ?? '').replace(/\u00a0/g, ' '),
      after: [...e.querySelectorAll('span[class*="ced-"]')].map((s) => (globalThis as unknown as { getComputedStyle(el: unknown, pseudo: string): { content: string } }).getComputedStyle(s, '::after').content)
        .filter((c) => c.startsWith('"')).map((c) => JSON.parse(c) as string).join('').replace(/\u00a0/g, ' '),
    })));
    const hit = seen.find((l) => text.test(l.text) && after.test(l.after));
    if (hit) return hit;
    await page.waitForTimeout(250);
  }
  throw new Error(`no line ${text} with decoration ${after}; lines: ${JSON.stringify(seen.slice(0, 40))}`);
}

describe('prompt blame (real VS Code UI)', function () {
  const ui = useWorkbench({ workspace: () => makeExampleWorkspace(), failureShot: 'prompt-blame-failure.png' });
  const shots = screenshotDir('e2e');

  it('shows each line\'s commit and the pass-rate change it caused, with a hover', async () => {
    const { page, ws } = ui;
    // Two commits of classify.prompty, each evaluated with the example suite (echo provider, as
    // the CLI would): without the category list (every case fails), then with it back (all pass).
    const promptFile = path.join(ws.dir, 'prompts', 'classify.prompty');
    const current = fs.readFileSync(promptFile, 'utf8');
    const worse = current.replace(/\{% for category in categories -%\}[\s\S]*?\{% endfor -%\}\n/, '');
    assert.notEqual(worse, current);
    const store = await openEmbeddedStore(path.join(ws.dir, EMBEDDED_DIR_NAME));
    try {
      const run = () => runSuite(loadSuite(path.join(ws.dir, 'classify.eval.yaml')), { store, workspaceRoot: ws.dir, trusted: true, noCache: true, cacheDir: path.join(ws.dir, EMBEDDED_DIR_NAME, 'cache') });
      fs.writeFileSync(promptFile, worse);
      ws.git('commit', '-q', '-am', 'Drop the category list');
      await run();
      fs.writeFileSync(promptFile, current);
      ws.git('commit', '-q', '-am', 'List the categories again');
      await run();
    } finally {
      await store.close();
    }
    const restored = ws.git('rev-parse', '--short=7', 'HEAD').trim();

    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('prompts/classify.prompty');
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'classify.prompty' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab[data-resource-name="classify.prompty"]').first().waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-line').first().click();
    await runCommand(page, 'Prompt Ledger: Toggle Prompt Blame');

    // The editor draws after-line text as CSS content on an empty span: read it from the style.
    const forLine = await waitForDecoratedLine(page, /\{% for category in categories -%\}/, new RegExp(`^${restored} · pass 100 % ▲100$`));
    assert.equal(forLine.after, `${restored} · pass 100 % ▲100`);
    await page.mouse.move(1300, 850); // no hover over the text
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'prompt-blame.png') });

    await page.locator('.monaco-editor .view-line', { hasText: 'for category in categories' }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Prompt blame' }).first();
    await hover.waitFor({ timeout: 15_000 });
    const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /List the categories again/);
    assert.match(text, /Pass rate before: 0 %/);
    assert.match(text, /Pass rate after: 100 %/);
    await page.screenshot({ path: path.join(shots, 'prompt-blame-hover.png') });
  });
});
