// The compare panel's Significance section in headless Chromium (built bundle, real CompareSession):
// each run against the baseline with its interval and verdict, and it follows a baseline change.
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { buildComparison } from '../../../src/core/compare/buildComparison';
import { CompareSession } from '../../../src/extension/panels/compareSession';
import { syntheticRuns } from './compareFixtures';
import { launchBrowser, openPanel, screenshotPath, type PanelPage } from './panelHarness';

describe('compare panel: significance section (Chromium, built bundle)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('shows each run vs the baseline: paired cases, Δ, 95 % interval and verdict', async () => {
    const fx = syntheticRuns(3, 60);
    // Run 2 fails every case: a significant drop in pass rate against run 0.
    const t2 = fx.tables.get(fx.runs[2].info.runId)!;
    for (const row of t2.data) { row[5] = false; (row[4] as Record<string, number>).exact_match = 0; }
    let pp!: PanelPage;
    const session = new CompareSession({
      load: async (baseline) => buildComparison(fx.runs, fx.tables, fx.prompts, baseline),
      post: (m) => { void pp.post(m); }, openRun() {}, openLink() {}, log() {},
    });
    pp = await openPanel(browser, 'compare', (msg, p) => { pp = p; return session.handle(msg); });
    const { page } = pp;
    try {
      await page.waitForSelector('#significance .significance-table', { timeout: 30_000 });
      const blocks = page.locator('#significance .significance-run');
      assert.equal(await blocks.count(), 2);
      assert.match(await blocks.nth(0).locator('h3').innerText(), /^eval-1 vs eval-0$/);
      assert.match(await blocks.nth(0).innerText(), /60 paired cases/);
      const noisy = blocks.nth(0).locator('tr[data-metric="pass_rate"]');
      assert.equal(await noisy.getAttribute('data-verdict'), 'within noise');
      assert.match(await noisy.innerText(), /\[−0\.\d+, \+0\.\d+\]/);
      const worse = blocks.nth(1).locator('tr[data-metric="pass_rate"]');
      assert.equal(await worse.getAttribute('data-verdict'), 'worse');
      assert.match(await worse.innerText(), /McNemar p = /);
      await page.locator('#significance').screenshot({ path: screenshotPath('compare-significance') });
      assert.deepEqual(pp.problems, []);
    } finally {
      await pp.close();
    }
  });
});
