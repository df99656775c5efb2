// Two people on an authenticated MLflow, in the real VS Code (code-server + Chromium): the editor
// signs in with "Set MLflow Credentials" and requests @production in the Registry panel (their
// own Approve is disabled, the tooltip says why); then the credentials switch to the admin, who
// approves in the panel, and the alias moves. Screenshots: test-output/e2e/team-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { registerPromptVersion } from '../../src/core/registry/promptRegistry';
import { registerInputFromFile } from '../../src/core/registry/promptFileRegistration';
import { auditTrail } from '../../src/core/registry/promptRegistry';
import { MlflowStore } from '../../src/core/tracking/mlflow/mlflowStore';
import { openFile, openWorkbench, runCommand, screenshotDir, startCodeServer, type CodeServer, type Workbench } from '../helpers/codeServer';
import { makeExampleWorkspace, type ExampleWorkspace } from '../helpers/exampleWorkspace';
import { createUser, grant, type TestUser } from '../helpers/mlflowAuth';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflowServer';

const PROMPT = 'summarize';

async function quickInput(page: Page, title: string, value: string, row?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: title }) });
  await widget.waitFor({ state: 'visible', timeout: 20_000 });
  await widget.locator('input').fill(value);
  if (row) await widget.locator('.monaco-list-row.focused', { hasText: row }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

async function signIn(page: Page, user: TestUser): Promise<void> {
  await runCommand(page, 'Prompt Ledger: Set MLflow Credentials');
  await quickInput(page, 'MLflow credentials for', 'Username and password', 'Username and password');
  await quickInput(page, 'MLflow username', user.username);
  await quickInput(page, `Password for ${user.username}`, user.password);
  await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'credentials saved' }).first().waitFor({ timeout: 20_000 });
}

async function openPanel(page: Page): Promise<FrameLocator> {
  // A panel holds the store it was opened with: close it, so the new one signs in as the new user.
  const tab = page.locator('.tab', { hasText: 'Registry:' });
  if (await tab.count()) {
    await tab.first().hover();
    await tab.first().locator('.tab-actions .action-label').first().click();
    await tab.first().waitFor({ state: 'detached', timeout: 10_000 });
  }
  await openFile(page, 'prompts/summarize.prompty');
  await runCommand(page, 'Prompt Ledger: Open Registry Panel');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await frame.locator('#app[data-ready="true"]').waitFor({ timeout: 30_000 });
  return frame;
}

describe('approval of @production by a second person, in the real VS Code UI on an auth-enabled MLflow', function () {
  let mlflow: MlflowServer;
  let ws: ExampleWorkspace;
  let cs: CodeServer;
  let wb: Workbench;
  let page: Page;
  let editor: TestUser;
  const shots = screenshotDir('e2e');
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `team-${name}.png`) });

  before(async () => {
    mlflow = await startMlflowServer({ auth: {} });
    editor = await createUser(mlflow, 'editor');
    ws = makeExampleWorkspace();
    const admin = new MlflowStore({ url: mlflow.url, env: {}, credentials: mlflow.admin });
    try {
      const text = fs.readFileSync(path.join(ws.dir, 'prompts', 'summarize.prompty'), 'utf8');
      await registerPromptVersion(admin, registerInputFromFile(text, 'prompts/summarize.prompty', undefined));
    } finally { await admin.close(); }
    await grant(mlflow, editor, 'prompt', PROMPT, 'EDIT');
    cs = await startCodeServer({ workspace: ws.dir, settings: { 'promptLedger.trackingUri': mlflow.url, 'promptLedger.governance.approvals': { production: 1 } } });
    wb = await openWorkbench(cs, 'README.md');
    page = wb.page;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: path.join(shots, 'team-failure.png') }).catch(() => undefined);
  });
  after(async () => {
    await wb?.close();
    await cs?.stop();
    ws?.cleanup();
    await mlflow?.stop();
  });

  let requestId = '';
  it('the editor requests @production in the Registry panel; their own Approve is disabled with the reason', async () => {
    await signIn(page, editor);
    const frame = await openPanel(page);
    await frame.locator('#identity-user', { hasText: 'Signed in to MLflow as editor' }).waitFor({ timeout: 20_000 });
    await frame.locator('#alias-input').fill('production');
    await frame.locator('#note-input').fill('v1 reads well; please ship');
    await frame.locator('#move').click();
    await frame.locator('#outcome .refused', { hasText: 'moves only with the approval of another user' }).waitFor({ timeout: 20_000 });
    await frame.locator('#request-approval').click();
    await frame.locator('#outcome .ok', { hasText: 'opened' }).waitFor({ timeout: 20_000 });
    requestId = /Request (r-[0-9a-f]+) opened/.exec(await frame.locator('#outcome').innerText())![1];
    const item = frame.locator(`#requests li[data-request="${requestId}"]`);
    await item.waitFor({ timeout: 20_000 });
    assert.match(await item.innerText(), /production → v1[\s\S]*requested by\s+editor/);
    const approveGate = item.locator('.gated', { has: frame.locator('.decide-approve') });
    assert.match(await approveGate.getAttribute('title') ?? '', /This is your request \(editor\): another user with MANAGE on 'summarize' must approve it/);
    assert.equal(await item.locator('.decide-approve').getAttribute('disabled'), '');
    await approveGate.hover();
    await page.waitForTimeout(1200);
    await shot('editor-requested');
  });

  it('after switching credentials to the admin, the request shows for review; Approve moves @production and the audit shows both people', async () => {
    await signIn(page, mlflow.admin!);
    const frame = await openPanel(page);
    await frame.locator('#identity-user', { hasText: 'Signed in to MLflow as admin (admin)' }).waitFor({ timeout: 20_000 });
    const item = frame.locator(`#requests li[data-request="${requestId}"]`);
    await item.waitFor({ timeout: 20_000 });
    await shot('admin-review');
    await item.locator('.decision-note').fill('checked the text, ship it');
    await item.locator('.decide-approve').click();
    await frame.locator('#outcome .ok', { hasText: 'Approved: production → v1 (requested by editor)' }).waitFor({ timeout: 20_000 });
    await frame.locator('#aliases', { hasText: 'production → v1' }).waitFor({ timeout: 20_000 });
    const top = await frame.locator('#audit > li').first().innerText();
    assert.match(top, /admin\s+moved[\s\S]*unset → v1[\s\S]*requested by editor/);
    await frame.locator('#audit').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('admin-approved');

    const s = new MlflowStore({ url: mlflow.url, env: {}, credentials: mlflow.admin });
    try {
      assert.equal((await s.getModelVersionByAlias(PROMPT, 'production')).version, '1');
      assert.deepEqual((await auditTrail(s, PROMPT)).map((e) => [e.action, e.author, e.requestedBy ?? null]), [['request', 'editor', null], ['move', 'admin', 'editor']]);
    } finally { await s.close(); }
    assert.doesNotMatch(cs.output(), new RegExp(editor.password), 'no password in the code-server / extension host output');
  });
});
