// The compare panel's built bundle in headless Chromium, driven through the real protocol by the
// real host-side CompareSession.
import { strict as assert } from 'node:assert';
import type { Browser, Locator } from 'playwright-core';
import { buildComparison } from '../../../src/core/compare/buildComparison';
import { CompareSession } from '../../../src/extension/panels/compareSession';
import { syntheticRuns, type CompareFixture } from './compareFixtures';
import { launchBrowser, openPanel, screenshotPath, type PanelPage } from './panelHarness';

type W = { __pwned?: unknown; __posted: unknown[]; document: { querySelectorAll(s: string): { length: number } } };

async function openCompare(browser: Browser, fx: CompareFixture, viewport?: { width: number; height: number }): Promise<{ pp: PanelPage; opened: string[] }> {
  const opened: string[] = [];
  let pp!: PanelPage;
  const session = new CompareSession({
    load: async (baseline) => buildComparison(fx.runs, fx.tables, fx.prompts, baseline),
    post: (m) => { void pp.post(m); },
    openRun: (id) => opened.push(`run:${id}`),
    openLink: (u) => opened.push(`link:${u}`),
    log: (m) => opened.push(`log:${m}`),
  });
  pp = await openPanel(browser, 'compare', (msg, p) => { pp = p; return session.handle(msg); }, viewport);
  await pp.page.waitForSelector('#app[data-cases-ready="true"]', { timeout: 30_000 });
  return { pp, opened };
}

const domRows = (pp: PanelPage) => pp.page.locator('#case-rows .vrow').count();

/** Picks an option of a vscode-single-select the way its own listbox does: sets the value and fires change. */
async function pickOption(select: Locator, value: string): Promise<void> {
  await select.evaluate((el, v) => { (el as unknown as { value: string }).value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }, value);
}

describe('compare panel (Chromium, built bundle)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('renders params, metrics with deltas and best marks, prompt diff and charts', async () => {
    const { pp } = await openCompare(browser, syntheticRuns(3, 60));
    const { page } = pp;
    try {
      assert.equal(await page.locator('#params-table tr.differs').count(), 2); // model, prompt_hash
      assert.match(await page.locator('#params-table tr.differs').first().innerText(), /≠ model/);
      const lat = page.locator('#metrics-table tr[data-metric="latency_ms/p95"]');
      assert.match(await lat.locator('th').innerText(), /↓/);
      assert.equal(await lat.locator('td.worse').count(), 2); // later runs are slower at p95
      assert.match(await lat.locator('td').nth(1).innerText(), /\+\d+ \(\+\d+\.\d%\)/);
      assert.equal(await page.locator('#metrics-table tr[data-metric="cost_usd/total"] td.best').count(), 1);
      assert.equal(await page.locator('#prompt .diff-line.insert').count(), 1);
      assert.equal(await page.locator('#prompt .diff-line.delete').count(), 1);
      assert.equal(await page.locator('#charts svg.chart').count(), 3);
      assert.equal(await page.locator('#charts svg circle.dot').count(), 3);
      await page.screenshot({ path: screenshotPath('compare-overview'), fullPage: true });
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('filters failing and changed cases, sorts and searches', async () => {
    const { pp } = await openCompare(browser, syntheticRuns(2, 200));
    const { page } = pp;
    try {
      assert.match(await page.locator('#case-count').innerText(), /^200 of 200 cases/);
      await page.locator('#filter-failing').click();
      const failing = await page.locator('#case-count').innerText();
      const n = Number(/^(\d+)/.exec(failing)![1]);
      assert.ok(n > 0 && n < 200, failing);
      assert.equal(await page.locator('#case-rows .vrow:not(.failing)').count(), 0);
      await page.screenshot({ path: screenshotPath('compare-failing') });
      await page.locator('#filter-changed').click();
      assert.equal(await page.locator('#case-rows .vrow:not(.changed)').count(), 0);
      await page.locator('#filter-all').click();
      await pickOption(page.locator('#case-sort'), 'latency:0');
      const lat = async (i: number) => Number(/(\d+) ms/.exec(await page.locator('#case-rows .vrow').nth(i).locator('.vcell.out').first().locator('.meta').innerText())![1]);
      assert.ok((await lat(0)) >= (await lat(1)));
      await page.locator('#case-search input').fill('What is 17 +');
      await page.waitForFunction(() => /^1 of/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('case-count').textContent));
      assert.match(await page.locator('#case-rows .vrow').first().innerText(), /case-17/);
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('virtualizes 10 runs × 1,000 cases: DOM rows stay bounded while scrolling to the end', async () => {
    const { pp } = await openCompare(browser, syntheticRuns(10, 1000));
    const { page } = pp;
    try {
      assert.match(await page.locator('#case-count').innerText(), /^1000 of 1000 cases/);
      const before = await domRows(pp);
      assert.ok(before > 0 && before <= 40, `rows in DOM: ${before}`);
      await page.locator('#case-viewport').evaluate((el) => { (el as unknown as { scrollTop: number }).scrollTop = 1e9; });
      await page.waitForSelector('#case-rows .vrow[aria-rowindex="1000"]');
      assert.ok((await domRows(pp)) <= 40);
      // keyboard: focus the grid, Home, Enter opens the detail of case 0
      await page.locator('#case-viewport').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#detail:not([hidden]) pre.output-full');
      assert.match(await page.locator('#detail h2').innerText(), /case-0/);
      await page.screenshot({ path: screenshotPath('compare-10x1000') });
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('shows hostile outputs as text and executes nothing', async () => {
    const { pp } = await openCompare(browser, syntheticRuns(2, 20, { hostile: true }));
    const { page } = pp;
    try {
      const texts = await page.locator('#case-rows').innerText();
      assert.ok(texts.includes('<script>window.__pwned = 1</script>'));
      assert.ok(texts.includes('<img src=x onerror="window.__pwned = 2">'));
      assert.ok(texts.includes('javascript:window.__pwned = 3'));
      assert.ok((await page.locator('#runs').innerText()).includes('<img src=x onerror="window.__pwned=5">'));
      assert.equal(await page.locator('#app img, #app script, #app iframe, #app a').count(), 0);
      // The 1 MB output: a preview in the table, the whole text in the detail view.
      await page.locator('#case-rows .vrow[data-key="id:case-3"]').click();
      await page.waitForSelector('#detail pre.output-full[data-run="1"]');
      const len = await page.locator('#detail pre.output-full[data-run="1"]').evaluate((el) => (el as unknown as { textContent: string }).textContent.length);
      assert.equal(len, 1_000_000);
      await page.locator('#case-rows .vrow[data-key="id:case-4"]').click();
      await page.waitForSelector('#detail pre.error');
      assert.match(await page.locator('#detail pre.error').innerText(), /<iframe srcdoc=/);
      await page.waitForTimeout(200); // let any (wrongly) injected handler fire before checking
      assert.equal(await page.evaluate(() => (globalThis as unknown as W).__pwned), undefined);
      await page.screenshot({ path: screenshotPath('compare-hostile') });
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('restores from setState after a reload without a new init, and routes baseline and open-run through the host', async () => {
    const { pp, opened } = await openCompare(browser, syntheticRuns(3, 50));
    const { page } = pp;
    try {
      await page.locator('#filter-failing').click();
      await page.locator('#runs [data-action="set-baseline"]').nth(1).click();
      await page.waitForFunction(() => /eval-1 \(baseline\)/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('metrics-table').textContent));
      await page.locator('#runs [data-action="open-run"]').first().click();
      await page.waitForFunction(() => (globalThis as unknown as W).__posted.some((m) => (m as { type: string }).type === 'openRun'));
      assert.deepEqual(opened, ['run:run00abcdef']);
      await page.reload();
      await page.waitForSelector('#app[data-cases-ready="true"]');
      const posted = await page.evaluate(() => (globalThis as unknown as W).__posted);
      assert.deepEqual(posted[0], { type: 'ready', restored: true });
      assert.equal(await page.locator('#filter-failing').evaluate((el) => (el as unknown as { checked: boolean }).checked), true);
      assert.equal(await page.locator('#filter-all').evaluate((el) => (el as unknown as { checked: boolean }).checked), false);
      assert.match(await page.locator('#metrics-table thead').innerText(), /eval-1 \(baseline\)/);
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });
});
