// In a real VS Code (code-server + Chromium) against a real MLflow server holding registered
// prompts: the Registry view lists prompts (aliases as badges), a prompt expands into its versions
// and a version into its aliases; the context menu's "Show Monitor" opens the Monitor panel on
// that version and "Open Registry Panel" opens the registry panel, whose per-version Monitor
// button opens the Monitor too. Screenshot test-output/e2e/registry-tree.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { registerPrompt } from '../../src/core/registry/promptStore';
import { MlflowStore } from '../../src/core/tracking/mlflow/mlflowStore';
import { registryViewRows, runContextMenu, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflowServer';

describe('Registry view in the real VS Code UI, on a real MLflow server', function () {
  let mlflow: MlflowServer;
  const shots = screenshotDir('e2e');

  before(async () => {
    mlflow = await startMlflowServer();
    const store = new MlflowStore({ url: mlflow.url, env: {} });
    try {
      await registerPrompt(store, 'summarize', 'Summarize: {{text}}', { commitMessage: 'first' });
      await registerPrompt(store, 'summarize', 'Summarize briefly: {{text}}', { commitMessage: 'second' });
      await store.setAlias('summarize', 'production', '1');
      await store.setAlias('summarize', 'staging', '2');
      await registerPrompt(store, 'classify', 'Classify: {{ticket}}');
    } finally {
      await store.close();
    }
  });
  const wb = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'registry-tree-failure.png', settings: () => ({ 'promptLedger.trackingUri': mlflow.url }) });
  after(async () => { await mlflow?.stop(); });

  it('lists prompts, versions and aliases; Show Monitor and Open work from the context menu', async () => {
    const { page } = wb;
    const rows = await registryViewRows(page);
    const summarize = rows.filter({ hasText: 'summarize' }).first();
    await summarize.waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: 'classify' }).first().waitFor({ timeout: 10_000 });
    assert.match(await summarize.innerText(), /@production→v1 @staging→v2/);

    // Expanding: the prompt into its versions (newest first), a version into its aliases.
    await summarize.click();
    const v1 = rows.filter({ hasText: /^v1/ }).first();
    await v1.waitFor({ timeout: 15_000 });
    await rows.filter({ hasText: /^v2/ }).first().waitFor({ timeout: 5_000 });
    assert.match(await v1.innerText(), /@production/);
    await v1.click();
    const alias = rows.filter({ hasText: '@production' }).filter({ hasText: '→ v1' }).first();
    await alias.waitFor({ timeout: 10_000 });

    // Show Monitor on version 1: the Monitor panel on summarize/1, with its (empty) summary.
    await runContextMenu(page, v1, 'Show Monitor');
    const monitorTab = page.locator('.tab', { hasText: 'Monitor: summarize/1' }).first();
    await monitorTab.waitFor({ timeout: 20_000 });
    await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('#summary').waitFor({ timeout: 30_000 });

    // Open (the registry panel) on the prompt, and its Monitor button on v2.
    await runContextMenu(page, summarize, 'Open Registry Panel');
    await page.locator('.tab', { hasText: 'Registry: summarize' }).first().waitFor({ timeout: 20_000 });
    const registry = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const v2Row = registry.locator('#versions tr[data-version="2"]');
    await v2Row.waitFor({ timeout: 30_000 });
    await registry.locator('#versions tr[data-version="1"]').waitFor({ timeout: 5_000 });
    await page.mouse.move(700, 600);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'registry-tree.png') });
    await v2Row.locator('vscode-button.monitor').click();
    await page.locator('.tab', { hasText: 'Monitor: summarize/2' }).first().waitFor({ timeout: 20_000 });
  });
});
