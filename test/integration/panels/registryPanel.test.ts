// The registry panel's built bundle in headless Chromium against a real embedded store, driven by
// the real RegistrySession: register, governance refusal, move with evidence, rollback, audit; a
// chat prompt shown as MLflow serves it (messages, model config, "Use in Python" snippet, copy).
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { RegistrySession, type ActivePrompt } from '../../../src/extension/panels/registrySession';
import { launchBrowser, openPanel, screenshotPath, type PanelPage } from './panelHarness';
import { registerPrompt } from '../../../src/core/registry/promptStore';
import { applyDarkTheme } from './vscodeDarkTheme';

type W = { __pwned?: unknown };
type Doc = { document: { getElementById(x: string): { textContent: string } | null } };

const SUMMARIZE: ActivePrompt = { name: 'summarize', sourceText: 'Summarize: {{text}}', contentHash: 'sha256:abc123def456', gitCommit: '3f2a9c1e', sourcePath: 'prompts/summarize.prompty', commitMessage: '<img src=x onerror="window.__pwned=1">' };

/** A Prompty with system/user sections, a model with parameters, a response format, and two
 *  fields MLflow has no place for (an API key reference and tools). */
const SUPPORT_PROMPTY = `---
name: support
description: Answers a customer's support question.
model:
  api: chat
  configuration:
    type: openai
    name: gpt-4o-mini
    api_key: \${env:OPENAI_API_KEY}
  parameters:
    temperature: 0.3
    max_tokens: 300
    stop: ["###"]
    response_format:
      type: object
      properties:
        answer: { type: string }
inputs:
  product:
    type: string
  question:
    type: string
tools:
  - name: lookup_order
---
system:
You help customers of {{product}}. <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>

user:
{{question}}
`;
const SUPPORT: ActivePrompt = { name: 'support', sourceText: SUPPORT_PROMPTY, contentHash: 'sha256:support1', gitCommit: '9b1c0de7', sourcePath: 'prompts/support.prompty', commitMessage: 'support prompt' };

describe('registry panel (Chromium, built bundle, embedded store)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  let store: TrackingStore;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-regpanel-')); store = await openEmbeddedStore(dir); });
  afterEach(async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  /** What the host put on the clipboard, in order. */
  let copied: string[];

  async function open(activePrompt: ActivePrompt = SUMMARIZE): Promise<PanelPage> {
    let pp!: PanelPage;
    copied = [];
    const session = new RegistrySession({ store, post: (m) => { void pp.post(m); }, openRun: () => {}, openLink: () => {}, log: () => {}, copyToClipboard: async (t) => { copied.push(t); } }, {
      governanceRequiresEval: true, author: 'Ana <script>', activePrompt,
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

  it('shows a registered chat prompt as MLflow serves it: messages, model config, response format, Python snippet, what was not carried', async () => {
    const pp = await open(SUPPORT);
    const { page } = pp;
    try {
      await applyDarkTheme(page);
      await page.locator('#register').click();
      await page.waitForSelector('#active-registered');
      await page.waitForSelector('#version-details[data-version="1"]');

      // what MLflow's forms have no place for is named, not dropped
      const notCarried = await page.locator('#not-carried').innerText();
      assert.match(notCarried, /Not carried into MLflow/);
      assert.match(notCarried, /'tools'/);
      assert.match(notCarried, /api_key/);

      // messages with their roles, content as text
      const roles = await page.locator('#messages li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')));
      assert.deepEqual(roles, ['system', 'user']);
      assert.deepEqual(await page.locator('#messages li .role').allInnerTexts(), ['system', 'user'].map((r) => r.toUpperCase()));
      const contents = await page.locator('#messages li .content').allTextContents();
      assert.equal(contents[0], 'You help customers of {{product}}. <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
      assert.equal(contents[1], '{{question}}');
      assert.match(await page.locator('#variables').innerText(), /product, question/);

      // model config as a key/value table
      const config = Object.fromEntries(await page.locator('#model-config tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])));
      assert.deepEqual(config, { Provider: 'openai', Model: 'gpt-4o-mini', temperature: '0.3', max_tokens: '300', stop_sequences: '["###"]' });
      assert.deepEqual(JSON.parse(await page.locator('#response-format').innerText()), { type: 'object', properties: { answer: { type: 'string' } } });

      // "Use in Python", copied through the host
      const snippet = await page.locator('#python-snippet').innerText();
      assert.match(snippet, /mlflow\.genai\.load_prompt\("prompts:\/support\/1"\)/);
      assert.match(snippet, /\.format\(product="…", question="…"\)/);
      await page.locator('#copy-snippet').click();
      await page.waitForFunction(() => (globalThis as unknown as Doc).document.getElementById('copy-result')?.textContent === 'Copied.');
      assert.deepEqual(copied, [snippet.trimEnd() + '\n']);

      await page.screenshot({ path: screenshotPath('registry-chat-version'), fullPage: true });
      assert.equal(await page.evaluate(() => (globalThis as unknown as W).__pwned), undefined);
      assert.equal(await page.locator('#app img, #app script').count(), 0);
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('shows a text prompt as its template and follows the selected version', async () => {
    await registerPrompt(store, 'greet', { type: 'text', template: 'Hello {{ name }} <b>bold?</b>' });
    await registerPrompt(store, 'greet', { type: 'chat', messages: [{ role: 'user', content: 'Hi {{name}}' }], modelConfig: { model_name: 'claude-x', temperature: 0 } });
    const pp = await open({ ...SUMMARIZE, name: 'greet' });
    const { page } = pp;
    try {
      await page.waitForSelector('#version-details[data-version="2"]');
      assert.deepEqual(await page.locator('#messages li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role'))), ['user']);
      await page.locator('#versions tr[data-version="1"] vscode-button:not(.monitor)').click();
      await page.waitForSelector('#version-details[data-version="1"]');
      assert.equal(await page.locator('#template').textContent(), 'Hello {{ name }} <b>bold?</b>');
      assert.match(await page.locator('#model-config').innerText(), /None/);
      assert.equal(await page.locator('#response-format').count(), 0);
      assert.match(await page.locator('#python-snippet').innerText(), /text = prompt\.format\(name="…"\)/);
      assert.equal(await page.locator('#app b').count(), 0);
      assert.deepEqual(pp.problems, []);
    } finally { await pp.close(); }
  });

  it('copies only what the registry holds: the host reads the snippet, a malformed request copies nothing', async () => {
    const pasted: string[] = [];
    const posted: unknown[] = [];
    const logged: string[] = [];
    const session = new RegistrySession({ store, post: (m) => { posted.push(m); }, openRun: () => {}, openLink: () => {}, log: (m) => { logged.push(m); }, copyToClipboard: async (t) => { pasted.push(t); } }, { governanceRequiresEval: false, author: 'ana' });
    await registerPrompt(store, 'greet', { type: 'text', template: 'Hello {{ name }}' });
    await session.handle({ type: 'copyPythonSnippet', id: 'w1', name: 'greet', version: '1; import os' });
    await session.handle({ type: 'copyPythonSnippet', id: 'w2', name: 'greet', version: '7' });
    assert.deepEqual(pasted, []);
    assert.match(logged[0], /rejected message 'copyPythonSnippet': version: version must be a number/);
    assert.deepEqual(posted, [{ type: 'reply', replyTo: 'w2', ok: false, error: "Prompt 'greet' has no version 7." }]);
    await session.handle({ type: 'copyPythonSnippet', id: 'w3', name: 'greet', version: '1' });
    assert.equal(pasted.length, 1);
    assert.match(pasted[0], /mlflow\.genai\.load_prompt\("prompts:\/greet\/1"\)\ntext = prompt\.format\(name="…"\)/);
  });
});
