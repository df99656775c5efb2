// In a real VS Code (code-server + Chromium): two evals of the same prompt, multi-select both runs
// in the Runs view (ctrl+click) → Compare Runs → read a metric inside the compare webview and
// filter its failing cases, then open a case's trace from its row. Screenshots go to test-output/e2e/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { compareTwoRunsFromRunsView, openFile, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

describe('Compare runs in the real VS Code UI', function () {
  const ui = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'compare-failure.png' });
  const shots = screenshotDir('e2e');

  it('runs two evals, multi-selects both runs, compares them and filters failing cases', async () => {
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
    assert.equal(await rows.count(), 2);
    const frame = await compareTwoRunsFromRunsView(page, rows, async () => {
      assert.equal(await runsPane.locator('.monaco-list-row.selected').count(), 2);
      await page.screenshot({ path: path.join(shots, 'runs-multiselect.png') });
    });
    const passRate = frame.locator('#metrics-table tr[data-metric="pass_rate"] .value').first();
    await passRate.waitFor({ timeout: 20_000 });
    const value = (await passRate.innerText()).trim();
    assert.match(value, /^(0(\.\d+)?|1(\.0+)?)$|%$/);
    const count = frame.locator('#case-count');
    await count.waitFor({ timeout: 10_000 });
    assert.match(await count.innerText(), /^8 of 8 cases/);
    await page.screenshot({ path: path.join(shots, 'compare-panel.png') });
    await frame.locator('#filter-failing').click();
    await page.waitForTimeout(300);
    const filtered = await count.innerText();
    const m = /^(\d+) of 8 cases/.exec(filtered);
    assert.ok(m, `case count: ${filtered}`);
    assert.ok(Number(m[1]) < 8, `failing filter kept every case: ${filtered}`);
    await page.screenshot({ path: path.join(shots, 'compare-failing-cases.png') });

    // A case row's Trace link shows that case's trace in the panel: its span tree, inputs as text.
    await frame.locator('#case-rows .vrow').first().locator('.trace-link[data-run="1"]').click();
    const trace = frame.locator('#detail .case-trace[data-run="1"]');
    await trace.locator('.span-tree').waitFor({ timeout: 20_000 });
    assert.match(await trace.locator('.trace-head').innerText(), /^Trace tr-[0-9a-f]{32}/);
    const tree = await trace.locator('.span-tree').innerText();
    for (const span of ['summarize [CHAIN]', 'render prompt [PARSER]', 'echo [CHAT_MODEL]']) assert.ok(tree.includes(span), `span tree shows ${span}:\n${tree}`);
    assert.match(tree, /\+0\.0 ms, \d+\.\d ms/, 'spans carry their start offset and duration');
    assert.equal(await trace.locator('.open-in-mlflow').count(), 0, 'no MLflow link on the embedded store');
    await trace.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'compare-case-trace.png') });
  });
});
