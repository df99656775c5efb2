// In a real VS Code (code-server + Chromium): an eval run, then right-click it in the Runs view →
// Reproduce Run → the comparison of the original and the reproduced run opens, with every case the
// same. Screenshot in test-output/e2e/reproduce-compare.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { openFile, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

describe('Reproduce Run in the real VS Code UI', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'reproduce-failure.png' });
  const shots = screenshotDir('e2e');

  it('reproduces a run from the Runs view and opens the comparison with the original', async () => {
    const { page } = ui;
    await openFile(page, 'prompts/summarize.prompty');
    await runCommand(page, 'Prompt Ledger: Run Eval on This Prompt');
    await runCommand(page, 'Prompt Ledger: Focus on Runs View');
    const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
    const rows = runsPane.locator('.monaco-list-row', { hasText: 'summarize · echo' });
    await rows.first().locator('.codicon-pass').waitFor({ timeout: 30_000 });
    await rows.first().click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Reproduce Run' }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 30_000 });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const count = frame.locator('#case-count');
    await count.waitFor({ timeout: 20_000 });
    assert.match(await count.innerText(), /^8 of 8 cases/);
    // Reproduced exactly: no case changed between the original and the new run.
    await frame.locator('#filter-changed').click();
    await page.waitForTimeout(300);
    assert.match(await count.innerText(), /^0 of 8 cases/);
    await page.screenshot({ path: path.join(shots, 'reproduce-compare.png') });
    // Both runs are in the Runs view; the new one is the reproduction.
    await rows.nth(1).waitFor({ timeout: 10_000 });
    assert.equal(await rows.count(), 2);
  });
});
