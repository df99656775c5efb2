// In a real VS Code (code-server + Chromium): Run Sweep on a suite whose command-provider "RAG
// pipeline" answers best at k = 6 with the cross reranker. The sweep panel opens and fills in:
// trial table, objective against each parameter, Pareto front; the best is k = 6 / cross. Then
// Open Sweep on the sweep's parent run in the Runs view opens the recorded sweep. Screenshot in
// test-output/e2e/sweep-panel.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openFile, PROJECT_ROOT, runCommand, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

const CASES = 6;

function sweepWorkspace() {
  const ws = makeExampleWorkspace();
  fs.copyFileSync(path.join(PROJECT_ROOT, 'test/fixtures/sweep/ragPipeline.sh'), path.join(ws.dir, 'ragPipeline.sh'));
  fs.writeFileSync(path.join(ws.dir, 'prompts', 'rag.md'), '---\nname: rag\n---\nFind {{ word }} #{{ i }}/{{ n }}\n');
  fs.writeFileSync(path.join(ws.dir, 'datasets', 'rag.jsonl'), Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { word: `doc${i}`, i, n: CASES } })).join('\n'));
  fs.writeFileSync(path.join(ws.dir, 'rag.eval.yaml'), `prompt: prompts/rag.md
dataset: datasets/rag.jsonl
models:
  - provider: command
    command: sh
    args: [ragPipeline.sh]
scorers:
  - type: icontains
    value: "{{word}}"
concurrency: 8
sweep:
  method: grid
  parameters:
    reranker: { values: [none, bm25, cross], env: RERANKER }
    k: { min: 2, max: 10, step: 2 }
`);
  return ws;
}

describe('Sweep panel in the real VS Code UI', function () {
  const ui = useWorkbench({ workspace: sweepWorkspace, failureShot: 'sweep-failure.png' });
  const shots = screenshotDir('e2e');

  it('Run Sweep fills the panel (trials, objective per parameter, Pareto front) and Open Sweep reopens it from the Runs view', async () => {
    const { page } = ui;
    await openFile(page, 'rag.eval.yaml');
    await runCommand(page, 'Prompt Ledger: Run Sweep');
    await page.locator('.tab', { hasText: 'Sweep rag' }).first().waitFor({ timeout: 30_000 });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('#app[data-running="false"][data-trials="15"]').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#trial-table tbody tr').count(), 15);
    assert.match(await frame.locator('#best h2').innerText(), /^Best: trial 13 — pass_rate 1/);
    assert.match(await frame.locator('#best-yaml').innerText(), /RERANKER: cross[\s\S]*K: "6"/);
    // One chart per parameter and the Pareto front, with the best ringed.
    for (const c of ['param-reranker', 'param-k', 'pareto']) await frame.locator(`[data-chart="${c}"] svg`).waitFor();
    assert.equal(await frame.locator('[data-chart="param-k"] circle').count(), 15);
    assert.ok(await frame.locator('[data-chart="pareto"] [data-role="front"]').count() <= 1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'sweep-panel.png') });
    await frame.locator('#trials h2').scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(shots, 'sweep-panel-trials.png') });

    // The recorded sweep, reopened from its parent run.
    await runCommand(page, 'Prompt Ledger: Focus on Runs View');
    const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
    // The parent started before its trials, so it is the last row of the experiment.
    await runsPane.locator('.monaco-list-row', { hasText: 'trial 15' }).first().click();
    await page.keyboard.press('End');
    const parent = runsPane.locator('.monaco-list-row', { hasText: 'sweep (grid, 15 trials)' }).first();
    await parent.waitFor({ timeout: 30_000 });
    await parent.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Open Sweep' }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'sweep (grid, 15 trials)' }).first().waitFor({ timeout: 30_000 });
    const reopened = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await reopened.locator('#app[data-trials="15"]').waitFor({ timeout: 20_000 });
    assert.match(await reopened.locator('#best h2').innerText(), /trial 13/);
  });
});
