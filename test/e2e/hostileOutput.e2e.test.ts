// In a real VS Code (code-server + Chromium): two eval runs whose per-case outputs are hostile
// (a <script>, an <img onerror>, a javascript: link, a 1 MB output) are compared from the Runs
// view; the compare webview shows them as text and runs nothing. The runs are written straight
// into the workspace's embedded store, shaped the way the eval runner writes them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { CaseRow } from '../../src/core/eval/caseRow';
import { buildResultsTable, loggedArtifactsTag, RESULTS_TABLE_FILE } from '../../src/core/eval/resultsTable';
import { TAGS } from '../../src/core/eval/runContext';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/core/tracking/local/embeddedStore';
import { compareTwoRunsFromRunsView, openWorkbench, runCommand, screenshotDir, startCodeServer, type CodeServer, type Workbench } from '../helpers/codeServer';
import { makeExampleWorkspace, type ExampleWorkspace } from '../helpers/exampleWorkspace';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const LINK = '<a href="javascript:alert(1)">javascript:alert(1)</a>';
const BIG_PREFIX = '<b>big</b>';
const BIG = BIG_PREFIX + 'A'.repeat(1_000_000 - BIG_PREFIX.length);
const HOSTILE_MODEL = '<img src=x onerror="window.__pwned=2">';

function caseRow(i: number, output: string, pass: boolean): CaseRow {
  return {
    caseId: `case-${i}`, caseIndex: i, repeat: 0, vars: { text: `Text number ${i}.` }, expected: `summary ${i}`, output,
    scores: [{ name: 'contains', score: pass ? 1 : 0, pass, reason: pass ? 'found' : 'not found', source: 'CODE', weight: 1 }],
    score: pass ? 1 : 0, pass, latencyMs: 100 + i * 10, inputTokens: 20, outputTokens: 10, costUsd: 0, cached: false,
  };
}

/** Logs one finished eval run the way the runner does: params, metrics, tags, prompt, results table. */
async function logEvalRun(store: EmbeddedStore, experimentId: string, ws: string, runName: string, model: string, outputs: string[], startTime: number): Promise<string> {
  const promptRel = 'prompts/summarize.prompty';
  const promptText = fs.readFileSync(path.join(ws, promptRel), 'utf8');
  const rows = outputs.map((o, i) => caseRow(i, o, i % 2 === 0));
  const passRate = rows.filter((r) => r.pass).length / rows.length;
  const run = await store.createRun({
    experimentId, runName, startTime, userId: 'ada',
    tags: [
      { key: 'mlflow.runName', value: runName }, { key: 'mlflow.source.name', value: 'summarize.eval.yaml' }, { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: TAGS.suite, value: 'summarize.eval.yaml' }, { key: TAGS.model, value: model }, { key: TAGS.promptPath, value: promptRel },
      { key: TAGS.promptHash, value: 'sha256:feed' }, { key: TAGS.kind, value: 'eval' },
    ],
  });
  const runId = run.info.runId;
  await store.logBatch(runId, {
    params: [
      { key: 'suite', value: 'summarize.eval.yaml' }, { key: 'prompt_path', value: promptRel }, { key: 'prompt_name', value: 'summarize' },
      { key: 'model', value: model }, { key: 'provider', value: 'echo' }, { key: 'scorers', value: 'contains' },
    ],
    metrics: [
      { key: 'pass_rate', value: passRate, timestamp: startTime, step: 0 },
      { key: 'contains/mean', value: passRate, timestamp: startTime, step: 0 },
      { key: 'latency_ms/p50', value: 110, timestamp: startTime, step: 0 },
    ],
  });
  await store.uploadArtifact(runId, 'prompt/summarize.prompty', promptText);
  await store.uploadArtifact(runId, RESULTS_TABLE_FILE, JSON.stringify(buildResultsTable(rows, ['contains'])));
  await store.logBatch(runId, { tags: [{ key: 'mlflow.loggedArtifacts', value: loggedArtifactsTag([RESULTS_TABLE_FILE]) }, { key: TAGS.passed, value: 'false' }] });
  await store.updateRun(runId, { status: 'FINISHED', endTime: startTime + 1000 });
  return runId;
}

describe('hostile model outputs in the real VS Code compare panel', function () {
  let ws: ExampleWorkspace;
  let cs: CodeServer;
  let wb: Workbench;
  let page: Page;
  const shots = screenshotDir('e2e');

  before(async () => {
    ws = makeExampleWorkspace();
    const store = await openEmbeddedStore(path.join(ws.dir, '.promptledger'));
    try {
      const exp = await store.ensureExperiment('summarize');
      const t0 = Date.now() - 60_000;
      await logEvalRun(store, exp, ws.dir, 'hostile-a', 'echo', ['A calm summary.', 'Another summary.', 'Plain text.', 'Short.'], t0);
      await logEvalRun(store, exp, ws.dir, 'hostile-b', HOSTILE_MODEL, [SCRIPT, IMG, LINK, BIG], t0 + 10_000);
    } finally {
      await store.close();
    }
    cs = await startCodeServer({ workspace: ws.dir });
    wb = await openWorkbench(cs, 'README.md');
    page = wb.page;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: path.join(shots, 'hostile-output-failure.png') }).catch(() => undefined);
  });
  after(async () => {
    await wb?.close();
    await cs?.stop();
    ws?.cleanup();
  });

  it('shows hostile outputs as text and executes nothing', async () => {
    await runCommand(page, 'Prompt Ledger: Focus on Runs View');
    const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
    const rows = runsPane.locator('.monaco-list-row', { hasText: 'hostile-' });
    await rows.nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await rows.count(), 2);
    // The hostile model name is only text in the tree's description.
    assert.match(await runsPane.innerText(), /<img src=x onerror=/);
    const frame = await compareTwoRunsFromRunsView(page, rows, async () => {
      assert.equal(await runsPane.locator('.monaco-list-row.selected').count(), 2);
    });
    await frame.locator('#app[data-cases-ready="true"]').waitFor({ timeout: 20_000 });
    const cases = await frame.locator('#case-rows').innerText();
    assert.ok(cases.includes(SCRIPT), 'the <script> output is shown as text');
    assert.ok(cases.includes(IMG), 'the <img onerror> output is shown as text');
    assert.ok(cases.includes(LINK), 'the javascript: link is shown as text');
    assert.ok(cases.includes(BIG_PREFIX + 'AAAA'), 'the 1 MB output shows a preview');
    assert.ok((await frame.locator('#params-table').innerText()).includes(HOSTILE_MODEL), 'the hostile param is shown as text');
    await frame.locator('#case-viewport').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'hostile-output.png') });

    // The whole 1 MB output in the detail view, still as text.
    await frame.locator('#case-rows .vrow', { hasText: BIG_PREFIX }).first().click();
    const full = frame.locator('#detail pre.output-full', { hasText: BIG_PREFIX }).first();
    await full.waitFor({ timeout: 20_000 });
    assert.equal(await full.evaluate((el) => el.textContent?.length), BIG.length);
    await page.waitForTimeout(300); // let a (wrongly) injected onerror or script fire before checking

    assert.equal(await frame.locator('#app img, #app script, #app iframe, #app a').count(), 0);
    const frames = page.frames().filter((f) => !f.isDetached());
    assert.ok(frames.length >= 3, `expected the workbench, the webview host and the panel frame; got ${frames.length}`);
    for (const f of frames) {
      assert.equal(await f.evaluate('typeof window.__pwned'), 'undefined', `window.__pwned is set in ${f.url()}`);
    }
    await page.screenshot({ path: path.join(shots, 'hostile-output-detail.png') });
  });
});
