// MLflow's own UI reads our case traces: the run's Evaluation runs page lists each case with
// its expectation and feedback columns and the dataset, and a case opens with its spans, its
// linked prompt and its assessments. Screenshots go to test-output/traces/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/codeServer';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { MlflowHttp } from '../../../src/core/tracking/mlflow/httpClient';
import { MlflowTraceWriter } from '../../../src/core/tracking/traces/mlflowTraceWriter';
import { caseInputs, runContext, SCORERS } from './caseTraceFixtures';

const OUT = path.join(__dirname, '..', '..', '..', 'test-output', 'traces');

async function waitForText(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

describe('MLflow\'s Evaluation runs page shows our cases with their assessments (Chromium)', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let http: MlflowHttp;
  let browser: Browser;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    http = new MlflowHttp({ url: server.url, env: {} });
    browser = await launchChromium();
    fs.mkdirSync(OUT, { recursive: true });
    await runMlflowPython(server.url, 'import json, mlflow\nmlflow.genai.register_prompt("greet", "Greet {{name}}")\nprint(json.dumps(1))');
  });
  after(async function () {
    await browser?.close();
    http?.close();
    await store?.close();
    await server?.stop();
  });

  it('lists the cases with expectation and feedback columns, and opens one with its spans and assessments', async function () {
    const experimentId = await store.createExperiment('greet-eval');
    const run = await store.createRun({ experimentId, runName: 'greet · openai:gpt-4o-mini' });
    const runId = run.info.runId;
    const writer = new MlflowTraceWriter(http);
    const written = await writer.writeCases(runContext(experimentId, runId, { name: 'greet', version: '1' }), caseInputs());
    await writer.logDatasetInput(runId, { name: 'greet.jsonl', hash: 'c0ffee'.repeat(6), path: 'prompts/greet.jsonl', rows: 3, variables: ['name', 'style'], hasExpectations: true });
    await store.updateRun(runId, { status: 'FINISHED', endTime: Date.now() });

    const page = await browser.newPage({ viewport: { width: 2000, height: 1000 } });
    try {
      await page.goto(`${server.url}/#/experiments/${experimentId}/evaluation-runs?selectedRunUuid=${runId}`);
      await page.getByText('greet · openai:gpt-4o-mini', { exact: true }).first().click();
      // MLflow 3.17's Assistant side panel opens with a selected run and covers the table.
      const closeAssistant = page.locator('[data-component-id="mlflow.assistant.chat_panel.close"]');
      await closeAssistant.first().click({ timeout: 5000 }).catch(() => undefined);
      // The cases table: one row per case × repeat, the expectation and both scorers as columns.
      await waitForText(page, 'Hello Grace');
      for (const col of ['Expected output', SCORERS.code, SCORERS.judge]) await waitForText(page, col);
      const body = await page.innerText('body');
      assert.match(body, new RegExp(`${written.length} of ${written.length}`), 'every case is listed');
      assert.match(body, /greet\.jsonl/, 'the Dataset column names the run input');
      await waitForText(page, 'AVG');
      await page.screenshot({ path: path.join(OUT, 'evaluation-run-cases.png') });

      // One case opened: spans, the linked prompt and the assessment pane.
      await page.getByText('{ "name": "Ada", "style": "short" }').first().click();
      await waitForText(page, 'render prompt');
      await waitForText(page, '1 linked prompt');
      await page.getByRole('button', { name: /Assess/ }).first().click();
      await waitForText(page, 'Feedback (2)');
      await waitForText(page, 'Expectations (1)');
      // Each feedback folds its rationale away: unfold them.
      const toggles = page.locator('[data-component-id="shared.model-trace-explorer.toggle-assessment-expanded"]');
      const n = await toggles.count();
      assert.equal(n, 2, 'one feedback per scorer in the assessment pane');
      for (let i = 0; i < n; i++) await toggles.nth(i).click();
      await waitForText(page, 'Greets the person by name.');
      const detail = await page.innerText('body');
      for (const text of ['openai:gpt-4o-mini', SCORERS.code, SCORERS.judge, 'expected_response', 'Hello Ada', 'tester']) {
        assert.ok(detail.includes(text), `the opened case shows ${text}`);
      }
      await page.screenshot({ path: path.join(OUT, 'evaluation-case-assessments.png') });
    } catch (e) {
      await page.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => undefined);
      throw e;
    } finally {
      await page.close();
    }
  });
});
