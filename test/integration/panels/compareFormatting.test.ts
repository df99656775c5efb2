// How the compare panel writes numbers for echo and cached runs (sub-millisecond latencies, zero
// cost) and shows long inputs: the built bundle in headless Chromium, driven by the real
// CompareSession. Screenshot: test-output/panels/compare-formatting.png.
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { buildComparison } from '../../../src/core/compare/buildComparison';
import type { EvalTable } from '../../../src/core/compare/evalTable';
import type { Run } from '../../../src/core/tracking/types';
import { CompareSession } from '../../../src/extension/panels/compareSession';
import { launchBrowser, openPanel, screenshotPath } from './panelHarness';

/** Two echo-provider runs: latencies of 0, 0.00025 and 0.4 ms, no cost, one 5,000-character input. */
export function echoRuns(): { runs: Run[]; tables: Map<string, EvalTable>; prompts: Map<string, string> } {
  const runs: Run[] = [];
  const tables = new Map<string, EvalTable>();
  const latencies = [0.00025, 0.4, 0, 3.25, 0.00025, 0.4];
  for (let r = 0; r < 2; r++) {
    const runId = `echo${r}abcdef`;
    const data = latencies.map((lat, c) => [`case-${c}`, { text: c === 1 ? `long ${'x'.repeat(4990)} end-of-input` : `word ${c}` }, `word ${c}`, `word ${c}`,
      { contains: c % 3 ? 1 : 0 }, c % 3 !== 0, lat, 0, null]);
    tables.set(runId, { columns: ['case_id', 'inputs', 'expected', 'output', 'scores', 'pass', 'latency_ms', 'cost_usd', 'error'], data });
    runs.push({
      info: { runId, runName: `echo-${r}`, experimentId: '1', status: 'FINISHED', startTime: 1_750_000_000_000 + r * 60_000, lifecycleStage: 'active' },
      data: {
        params: [{ key: 'model', value: 'echo' }],
        metrics: [
          { key: 'pass_rate', value: 4 / 6, timestamp: 1, step: 0 },
          { key: 'latency_ms/p50', value: 0.2, timestamp: 1, step: 0 },
          { key: 'cost_usd/total', value: 0, timestamp: 1, step: 0 },
        ],
        tags: [],
      },
    });
  }
  return { runs, tables, prompts: new Map() };
}

describe('compare panel formatting for echo and cached runs (Chromium, built bundle)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('writes latencies as "<1 ms", "0 ms", "3.3 ms", labels an all-zero cost axis "all 0", and shows a long input whole', async () => {
    const fx = echoRuns();
    let pp!: Awaited<ReturnType<typeof openPanel>>;
    const session = new CompareSession({
      load: async (b) => buildComparison(fx.runs, fx.tables, fx.prompts, b),
      post: (m) => { void pp.post(m); }, openRun() {}, openLink() {}, log() {},
    });
    pp = await openPanel(browser, process.env.PL_COMPARE_BUNDLE ?? 'compare', (msg, p) => { pp = p; return session.handle(msg); });
    const { page } = pp;
    try {
      await page.waitForSelector('#app[data-cases-ready="true"]', { timeout: 30_000 });
      // PL_COMPARE_BUNDLE / PL_COMPARE_SHOT: the same view from another build (the before/after screenshots).
      await page.screenshot({ path: screenshotPath(process.env.PL_COMPARE_SHOT ?? 'compare-formatting'), fullPage: true });
      const metas = await page.locator('#case-rows .vcell.out .meta').allInnerTexts();
      assert.equal(metas.length, 12);
      const table = metas.join('\n');
      assert.doesNotMatch(table, /e-\d/, 'no exponent notation');
      assert.doesNotMatch(table, /·\s+ms/, 'no "ms" without a number');
      assert.match(metas[0], /· <1 ms/);
      assert.match(metas[2 * 2], /· 0 ms/);
      assert.match(metas[3 * 2], /· 3\.3 ms/);
      const scatterText = await page.locator('#charts svg.chart').last().textContent();
      assert.doesNotMatch(String(scatterText), /-0\.1/, 'no negative cost on the axis');
      assert.match(String(scatterText), /all 0/);
      await page.locator('#case-rows .vrow[data-key="id:case-1"]').click();
      await page.waitForSelector('#detail:not([hidden]) pre.detail-text.inputs-full');
      const input = await page.locator('#detail pre.inputs-full').textContent();
      assert.ok(String(input).includes('end-of-input'), 'the detail pane shows the whole input');
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });
});
