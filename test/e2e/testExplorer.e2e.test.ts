// In a real VS Code (code-server + Chromium): the Test Explorer lists the eval suites and a suite
// expands into its cases; running one failing case shows expected vs actual in the failure peek;
// each case line of the suite shows ✓/✗ after a run; the prompt's CodeLens shows its pass rate and
// the delta to the production version.
// Screenshots in test-output/e2e/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { runSuite } from '../../src/core/eval/runner';
import { loadSuite } from '../../src/core/eval/suiteLoader';
import { registerPrompt } from '../../src/core/registry/promptStore';
import { openEmbeddedStore } from '../../src/core/tracking/local/embeddedStore';
import { EMBEDDED_DIR_NAME } from '../../src/core/tracking/trackingUri';

const FAILING_SUITE = `prompt: prompts/classify.prompty
models: [{ provider: echo }]
dataset:
  cases:
    - id: right
      vars: { ticket: "billing" }
      assert: [{ type: contains, value: billing }]
    - id: wrong
      vars: { ticket: "My invoice is wrong." }
      expected: billing
      assert: [{ type: equals }]
`;

/**
 * Quick Open, waiting for the row of this very file: right after another file was opened, the
 * focused row can still be that recently opened one, and Enter would open it instead.
 */
async function openFile(page: Page, relPath: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(relPath);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: path.basename(relPath) }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${path.basename(relPath)}"]`).first().waitFor({ timeout: 15_000 });
}

describe('evals in the Test Explorer (real VS Code UI)', function () {
  const ui = useWorkbench({
    workspace: () => {
      const ws = makeExampleWorkspace();
      fs.writeFileSync(path.join(ws.dir, 'labels.eval.yaml'), FAILING_SUITE);
      return ws;
    },
    failureShot: 'test-explorer-failure.png',
  });
  const shots = screenshotDir('e2e');

  it('shows the suites and, expanded, a suite\'s cases', async () => {
    const { page } = ui;
    await runCommand(page, 'Testing: Focus on Test Explorer View');
    const rows = page.locator('.test-explorer .monaco-list-row');
    const suite = rows.filter({ hasText: 'classify' }).first();
    await suite.waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: 'summarize' }).first().waitFor({ timeout: 10_000 });
    await suite.click();
    await page.keyboard.press('ArrowRight');
    await rows.filter({ hasText: 'invoice' }).first().waitFor({ timeout: 15_000 });
    await rows.filter({ hasText: 'crash' }).first().waitFor({ timeout: 5_000 });
    const labels = await rows.allInnerTexts();
    assert.ok(labels.some((l) => /invoice/.test(l)), labels.join(' | '));
    await page.mouse.move(900, 700); // no hover tooltip over the rows
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'test-explorer-tree.png') });
  });

  it('runs one failing case from its line and shows expected vs actual', async () => {
    const { page } = ui;
    await openFile(page, 'labels.eval.yaml');
    await page.locator('.monaco-editor .view-line', { hasText: 'id: wrong' }).first().click();
    await runCommand(page, 'Test: Run Test at Cursor');
    // The failure: inline at the case's line, and in Test Results, where its message opens the
    // diff of expected and actual.
    const message = page.locator('.part.panel .monaco-list-row', { hasText: 'equals: expected "billing"' }).first();
    await message.waitFor({ timeout: 60_000 });
    await message.click();
    const diff = page.locator('.part.panel .monaco-diff-editor');
    await diff.first().waitFor({ timeout: 15_000 });
    await page.locator('.part.panel .monaco-diff-editor .view-line', { hasText: 'billing' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(shots, 'test-explorer-failing-case-diff.png') });
    await page.keyboard.press('Escape');
  });

  it('marks each case line of the suite with ✓/✗ after a run, the scorer message on hover', async () => {
    const { page } = ui;
    await openFile(page, 'labels.eval.yaml');
    await runCommand(page, 'Prompt Ledger: Run Eval on This Prompt'); // the whole suite: both cases
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'labels' }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'failed in the latest run' });
    await page.locator('.monaco-editor .view-line', { hasText: 'id: wrong' }).first().hover({ position: { x: 60, y: 8 }, force: true }); // on the text: hovers start there
    await hover.first().waitFor({ timeout: 15_000 });
    const text = await hover.first().innerText();
    assert.match(text, /Case wrong — ✗ failed in the latest run/);
    assert.match(text, /✗ equals: expected "billing"/);
    await page.mouse.move(900, 800);
    await hover.first().waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'id: right' }).first().hover({ position: { x: 60, y: 8 }, force: true });
    await page.locator('.monaco-hover:visible', { hasText: 'Case right — ✓ passed in the latest run' }).first().waitFor({ timeout: 15_000 });
    await page.mouse.move(900, 800);
    await page.waitForTimeout(500);
    await page.locator('.monaco-editor .view-line', { hasText: 'id: wrong' }).first().hover({ position: { x: 60, y: 8 }, force: true }); // on the text: hovers start there
    await hover.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'case-decorations.png') });
  });

  it('shows the prompt\'s pass rate and its delta to production in the CodeLens', async () => {
    const { page, ws } = ui;
    // Two evals of classify.prompty recorded by the core (as the CLI would): a worse text,
    // registered as production, and the current text.
    const promptFile = path.join(ws.dir, 'prompts', 'classify.prompty');
    const current = fs.readFileSync(promptFile, 'utf8');
    const worse = current.replace(/\{% for category in categories -%\}[\s\S]*?\{% endfor -%\}\n/, '');
    assert.notEqual(worse, current);
    const store = await openEmbeddedStore(path.join(ws.dir, EMBEDDED_DIR_NAME));
    try {
      const run = () => runSuite(loadSuite(path.join(ws.dir, 'classify.eval.yaml')), { store, workspaceRoot: ws.dir, trusted: true, noCache: true, cacheDir: path.join(ws.dir, EMBEDDED_DIR_NAME, 'cache') });
      fs.writeFileSync(promptFile, worse);
      await run();
      const prod = await registerPrompt(store, 'classify', worse);
      await store.setAlias('classify', 'production', prod.version);
      fs.writeFileSync(promptFile, current);
      await run();
    } finally {
      await store.close();
    }
    await openFile(page, 'prompts/classify.prompty');
    const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'vs production' });
    await runCommand(page, 'Prompt Ledger: Refresh Prompts');
    await lens.first().waitFor({ timeout: 30_000 });
    assert.match(await lens.first().innerText(), /pass 100 % ▲100 vs production/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'prompt-codelens-pass-rate.png') });
  });
});
