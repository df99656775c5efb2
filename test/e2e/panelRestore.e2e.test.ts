// In a real VS Code (code-server + Chromium): the compare and registry panels survive "Reload
// Window" — VS Code restores each through our WebviewPanelSerializer with the state its webview
// saved, and the host loads the same runs / the registry again. Screenshots in test-output/e2e/.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { compareTwoRunsFromRunsView, openFile, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

/** The content frame of the visible webview that shows `selector` (several panels are open side by side). */
async function webviewShowing(page: Page, selector: string, timeoutMs = 60_000): Promise<FrameLocator> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > end) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(250);
  }
}

describe('panels survive a reload (real VS Code UI)', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'panel-restore-failure.png' });
  const shots = screenshotDir('e2e');

  it('Reload Window brings the compare panel back with its runs and the registry panel with its prompt', async () => {
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
    // Back to the prompt, then its registry panel: two panels in the group, the registry in front.
    await page.locator('.tab[data-resource-name="summarize.prompty"]').first().click();
    await page.locator('.tab.active[data-resource-name="summarize.prompty"]').first().waitFor({ timeout: 10_000 });
    await runCommand(page, 'Prompt Ledger: Open Registry Panel');
    await page.locator('.tab', { hasText: 'Registry: summarize' }).first().waitFor({ timeout: 20_000 });
    let registry = await webviewShowing(page, '#register');
    await registry.locator('#register').click();
    await registry.locator('#active-registered', { hasText: 'Registered as version 1.' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000); // the webviews save their state after rendering

    // A mark on the page that only a real reload clears.
    await page.evaluate(() => { (globalThis as { plBeforeReload?: boolean }).plBeforeReload = true; });
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForFunction(() => !(globalThis as { plBeforeReload?: boolean }).plBeforeReload, undefined, { timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Registry: summarize' }).first().waitFor({ timeout: 60_000 });

    // The registry webview saved only the prompt's name and file: versions come fresh from the store.
    registry = await webviewShowing(page, '#registry');
    await registry.locator('#versions tr[data-version="1"]').waitFor({ timeout: 30_000 });
    assert.match(await registry.locator('#active-registered').innerText(), /Registered as version 1\./);
    assert.equal(await registry.locator('#prompt-select').inputValue(), 'summarize');

    await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().click();
    frame = await webviewShowing(page, '#metrics-table');
    const passRate = frame.locator('#metrics-table tr[data-metric="pass_rate"] .value').first();
    await passRate.waitFor({ timeout: 30_000 });
    const count = frame.locator('#case-count');
    await count.waitFor({ timeout: 10_000 });
    assert.match(await count.innerText(), /^8 of 8 cases/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'panels-after-reload.png') });
  });
});
