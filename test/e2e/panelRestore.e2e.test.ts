// In a real VS Code (code-server + Chromium): a compare panel survives "Reload Window" — VS Code
// restores it through our WebviewPanelSerializer with the state its webview saved, and the host
// loads the same runs again. Screenshots in test-output/e2e/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { compareTwoRunsFromRunsView, openFile, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

describe('panels survive a reload (real VS Code UI)', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'panel-restore-failure.png' });
  const shots = screenshotDir('e2e');

  it('Reload Window brings the compare panel back with its runs', async () => {
    const { page } = ui;
    await openFile(page, 'prompts/summarize.prompty');
    const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
    const rows = runsPane.locator('.monaco-list-row', { hasText: 'summarize · echo' });
    for (let i = 1; i <= 2; i++) {
      await runCommand(page, 'Prompt Ledger: Run Eval on This Prompt');
      if (i === 1) await runCommand(page, 'Prompt Ledger: Focus on Runs View');
      await rows.nth(i - 1).waitFor({ timeout: 30_000 });
      await rows.nth(i - 1).locator('.codicon-pass').waitFor({ timeout: 30_000 });
      await page.locator('.editor-instance .monaco-editor').first().click();
    }
    let frame = await compareTwoRunsFromRunsView(page, rows);
    await frame.locator('#metrics-table tr[data-metric="pass_rate"] .value').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000); // the webview saves its state after rendering

    // A mark on the page that only a real reload clears.
    await page.evaluate(() => { (globalThis as { plBeforeReload?: boolean }).plBeforeReload = true; });
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForFunction(() => !(globalThis as { plBeforeReload?: boolean }).plBeforeReload, undefined, { timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().click();
    frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const passRate = frame.locator('#metrics-table tr[data-metric="pass_rate"] .value').first();
    await passRate.waitFor({ timeout: 30_000 });
    const count = frame.locator('#case-count');
    await count.waitFor({ timeout: 10_000 });
    assert.match(await count.innerText(), /^8 of 8 cases/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'compare-panel-after-reload.png') });
  });
});
