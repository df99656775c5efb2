// In a real VS Code (code-server + Chromium): open an example prompt, see its version CodeLens,
// hover it, open its history and a diff. Screenshots go to test-output/e2e/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { openFile, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

describe('prompt versions in the real VS Code UI', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace });
  const shots = screenshotDir('e2e');

  it('shows the version CodeLens on the first line of a prompt', async () => {
    const { page, ws } = ui;
    await openFile(page, 'prompts/summarize.prompty');
    const head = ws.git('rev-parse', '--short=7', 'HEAD').trim();
    const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: `v3 · ${head}` });
    await lens.first().waitFor({ timeout: 30_000 });
    const text = await page.locator('.contentWidgets .codelens-decoration').first().innerText();
    assert.match(text, new RegExp(`v3 · ${head}.*Run eval.*History.*Compare`, 's'));
    await page.screenshot({ path: path.join(shots, 'prompt-codelens.png') });
  });

  it('shows version details in a hover', async () => {
    const { page } = ui;
    await page.locator('.monaco-editor .view-line').first().click();
    await page.keyboard.press('Control+Home');
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover', { hasText: 'Content hash' });
    await hover.first().waitFor({ timeout: 15_000 });
    assert.match(await hover.first().innerText(), /Ada Example/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'prompt-hover.png') });
    await page.keyboard.press('Escape');
  });

  it('opens the history and a diff with an older version', async () => {
    const { page } = ui;
    await runCommand(page, 'Prompt Ledger: Show Prompt History');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'v1 · ' }).first().waitFor({ timeout: 15_000 });
    assert.equal(await rows.count(), 3);
    await page.screenshot({ path: path.join(shots, 'prompt-history.png') });
    await rows.filter({ hasText: 'v1 · ' }).first().click();
    const diff = page.locator('.monaco-diff-editor');
    await diff.first().waitFor({ timeout: 15_000 });
    await page.locator('.tab.active', { hasText: 'v1' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.monaco-diff-editor .view-line', { hasText: 'first draft' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'prompt-diff.png') });
  });
});
