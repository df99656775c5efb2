// The registry panel's built bundle in headless Chromium against a real embedded store, driven by
// the real RegistrySession: register, governance refusal, move with evidence, rollback, audit.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { RegistrySession } from '../../../src/extension/panels/registrySession';
import { launchBrowser, openPanel, screenshotPath, type PanelPage } from './panelHarness';
import { registerPrompt } from '../../../src/core/registry/promptStore';

type W = { __pwned?: unknown };

describe('registry panel (Chromium, built bundle, embedded store)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  let store: TrackingStore;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-regpanel-')); store = await openEmbeddedStore(dir); });
  afterEach(async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  async function open(): Promise<PanelPage> {
    let pp!: PanelPage;
    const session = new RegistrySession({ store, post: (m) => { void pp.post(m); }, openRun: () => {}, openLink: () => {}, log: () => {} }, {
      governanceRequiresEval: true, author: 'Ana <script>',
      activePrompt: { name: 'summarize', sourceText: 'Summarize: {{text}}', contentHash: 'sha256:abc123def456', gitCommit: '3f2a9c1e', sourcePath: 'prompts/summarize.prompty', commitMessage: '<img src=x onerror="window.__pwned=1">' },
    });
    pp = await openPanel(browser, 'registry', (msg, p) => { pp = p; return session.handle(msg); });
    await pp.page.waitForSelector('#app[data-ready="true"]');
    return pp;
  }

  it('registers, refuses production without a passing eval, moves with evidence, rolls back, shows the audit', async () => {
    const pp = await open();
    const { page } = pp;
    try {
      await page.locator('#register').click();
      await page.waitForSelector('#active-registered');
      assert.match(await page.locator('#outcome').innerText(), /Registered version 1/);
      assert.match(await page.locator('#versions tr[data-version="1"]').innerText(), /3f2a9c1/);
      assert.match(await page.locator('#versions tr[data-version="1"]').innerText(), /<img src=x onerror/);

      // production without a passing eval → refused, with the reason shown
      await page.locator('#alias-input').fill('production');
      await page.locator('#note-input').fill('ship it');
      await page.locator('#move').click();
      await page.waitForSelector('#outcome .refused');
      assert.match(await page.locator('#outcome').innerText(), /requires a passing eval run of summarize v1/);
      await page.screenshot({ path: screenshotPath('registry-refused'), fullPage: true });

      // note is required
      await page.locator('#note-input').fill('');
      await page.locator('#alias-input').fill('staging');
      await page.locator('#move').click();
      assert.match(await page.locator('#outcome').innerText(), /note is required/);

      // a passing eval of v1 appears; staging then production move
      const exp = await store.ensureExperiment('evals');
      const run = await store.createRun({ experimentId: exp, runName: 'eval-v1' });
      await store.logBatch(run.info.runId, { params: [{ key: 'prompt_hash', value: 'sha256:abc123def456' }, { key: 'threshold.pass_rate', value: '0.8' }], metrics: [{ key: 'pass_rate', value: 0.92, timestamp: Date.now(), step: 0 }] });
      await page.locator('#refresh').click();
      await page.waitForFunction(() => /eval-v1/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('versions').textContent));
      await page.locator('#alias-input').fill('production');
      await page.locator('#note-input').fill('first release');
      await page.locator('#move').click();
      await page.waitForSelector('#outcome .ok');
      assert.match(await page.locator('#aliases').innerText(), /production → v1/);

      // v2 registered directly, moved (governance off for staging), then rollback of staging
      await registerPrompt(store, 'summarize', 'Summarize briefly: {{text}}', { tags: [{ key: 'promptledger.contentHash', value: 'sha256:v2' }] });
      await page.locator('#refresh').click();
      await page.waitForSelector('#versions tr[data-version="2"]');
      await page.locator('#alias-input').fill('staging');
      await page.locator('#version-select').selectOption('1');
      await page.locator('#note-input').fill('stage v1');
      await page.locator('#move').click();
      await page.waitForFunction(() => /staging → v1/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('aliases').textContent));
      await page.locator('#version-select').selectOption('2');
      await page.locator('#note-input').fill('stage v2');
      await page.locator('#move').click();
      await page.waitForFunction(() => /staging → v2/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('aliases').textContent));
      await page.locator('#note-input').fill('v2 broke staging');
      await page.locator('#rollback').click();
      await page.waitForFunction(() => /staging → v1/.test((globalThis as unknown as { document: { getElementById(x: string): { textContent: string } } }).document.getElementById('aliases').textContent));
      const audit = await page.locator('#audit').innerText();
      assert.match(audit, /rolled back/);
      assert.match(audit, /Ana <script>/);
      assert.equal(await page.locator('#audit li').count(), 4);
      await page.screenshot({ path: screenshotPath('registry-audit'), fullPage: true });
      assert.equal(await page.evaluate(() => (globalThis as unknown as W).__pwned), undefined);
      assert.equal(await page.locator('#app img, #app script').count(), 0);
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });
});
