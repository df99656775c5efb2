// In a real VS Code (code-server + Chromium): the Test Explorer lists the eval suites, and a suite
// expands into its cases (read from its dataset). Screenshot in test-output/e2e/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

describe('evals in the Test Explorer (real VS Code UI)', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace });
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
});
