// A real VS Code for tests: code-server (VS Code's server + web workbench) from the per-user
// cache, driven by Debian's headless Chromium through playwright-core.
// See ../shared/reference/e2e-vscode.md for why this route (no VS Code download here).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function codeServerBin(): Promise<string> {
  const versions = await import('../setup/versions.mjs');
  const bin = versions.codeServerBin();
  if (!fs.existsSync(bin)) throw new Error(`code-server not installed at ${bin}; run \`npm run setup:test\``);
  return bin;
}

export interface CodeServer {
  host: string;
  url: string;
  workspace: string;
  userDataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export interface StartCodeServerOptions {
  workspace: string;
  /** Extra environment for the server and so for the extension host. */
  env?: Record<string, string>;
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** Fixed port (default: a free one). */
  port?: number;
  /** A packaged extension to install before start (the demo; tests load the source tree instead). */
  installVsix?: string;
}

export async function startCodeServer(opts: StartCodeServerOptions): Promise<CodeServer> {
  const bin = await codeServerBin();
  const port = opts.port ?? await freePort();
  const host = `127.0.0.1:${port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cs-ud-'));
  const extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cs-ext-'));
  const cfg = path.join(userDataDir, 'config.yaml');
  fs.writeFileSync(cfg, `bind-addr: ${host}\nauth: none\ncert: false\n`);
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.enabled': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    ...opts.settings,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  if (opts.installVsix) {
    execFileSync(bin, ['--install-extension', opts.installVsix, '--extensions-dir', extDir, '--user-data-dir', userDataDir], { stdio: 'ignore' });
  }
  let out = '';
  const child: ChildProcess = spawn(bin, [
    '--config', cfg, '--auth', 'none', '--bind-addr', host, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userDataDir,
    '--extensions-dir', extDir, opts.workspace,
  ], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env, XDG_CONFIG_HOME: path.join(userDataDir, 'xdg') },
  });
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`http://${host}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not become healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    url: `http://${host}/?folder=${encodeURIComponent(opts.workspace)}`,
    workspace: opts.workspace,
    userDataDir,
    output: () => out,
    async stop() {
      await killGroup(child);
      fs.rmSync(userDataDir, { recursive: true, force: true });
      fs.rmSync(extDir, { recursive: true, force: true });
    },
  };
}

export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
  await exited;
  clearTimeout(timer);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export interface DevelopmentOptions {
  /** Folder of an extension loaded as in development (our project root). */
  extensionDevelopmentPath: string;
  /** Module exporting run(), executed inside the extension host. */
  extensionTestsPath?: string;
}

/**
 * code-server refuses --extensionDevelopmentPath; inject the same developmentOptions into the
 * workbench configuration <meta> before the workbench reads it.
 */
export async function injectDevelopmentOptions(page: Page, dev: DevelopmentOptions): Promise<void> {
  // Passed as a string: tsx compiles functions with helpers (__name) that don't exist in the page.
  const args = JSON.stringify({ devPath: dev.extensionDevelopmentPath, testsPath: dev.extensionTestsPath ?? null });
  await page.addInitScript(`(() => {
    const { devPath, testsPath } = ${args};
    new MutationObserver((_muts, obs) => {
      const meta = document.getElementById('vscode-workbench-web-configuration');
      const raw = meta && meta.getAttribute('data-settings');
      if (!meta || !raw) return;
      obs.disconnect();
      const cfg = JSON.parse(raw);
      const uri = (p) => ({ scheme: 'vscode-remote', authority: location.host, path: p });
      cfg.developmentOptions = Object.assign({}, cfg.developmentOptions, { extensions: [uri(devPath)] });
      if (testsPath) cfg.developmentOptions.extensionTestsPath = uri(testsPath);
      meta.setAttribute('data-settings', JSON.stringify(cfg));
    }).observe(document, { childList: true, subtree: true });
  })();`);
}

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Opens the workbench, by default with our extension loaded from the source tree in development mode. */
export async function openWorkbench(cs: CodeServer, readyFile?: string, opts: { development?: boolean } = {}): Promise<Workbench> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  if (opts.development !== false) await injectDevelopmentOptions(page, { extensionDevelopmentPath: PROJECT_ROOT });
  await page.goto(cs.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  if (readyFile) {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: readyFile }).first().waitFor({ timeout: 60_000 });
  }
  return { browser, page, close: () => browser.close() };
}

/** Runs a command from the palette; extension commands may register a moment after paint. */
export async function runCommand(page: Page, title: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>' + title);
    const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
    } catch (e) {
      if (Date.now() > end) throw e;
      continue;
    }
    await page.keyboard.press('Enter');
    return;
  }
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(relPath);
  await page.locator('.quick-input-widget .monaco-list-row.focused').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${path.basename(relPath)}"]`).first().waitFor({ timeout: 15_000 });
}

export function screenshotDir(suite: string): string {
  const dir = path.join(PROJECT_ROOT, 'test-output', suite);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export interface UseWorkbenchOptions<W extends { dir: string; cleanup(): void }> {
  /** Makes the workspace folder (e.g. makeExampleWorkspace) before code-server starts on it. */
  workspace: () => W;
  /** Explorer entry whose appearance means the folder is open (default 'README.md'). */
  readyFile?: string;
  /** File name under test-output/e2e/ for a screenshot of the page when a test fails. */
  failureShot?: string;
  /** User settings, read when code-server starts (after the suite's earlier `before` hooks, e.g. a server's URL). */
  settings?: () => Record<string, unknown>;
}

export interface WorkbenchFixture<W> {
  readonly ws: W;
  readonly cs: CodeServer;
  readonly page: Page;
}

/**
 * For a UI suite: registers mocha hooks that make the workspace, start code-server on it and open
 * the workbench with our extension before the suite, and take it all down after. Read the fields
 * inside tests (they are set once `before` has run).
 */
export function useWorkbench<W extends { dir: string; cleanup(): void }>(opts: UseWorkbenchOptions<W>): WorkbenchFixture<W> {
  let ws: W | undefined;
  let cs: CodeServer | undefined;
  let wb: Workbench | undefined;
  const started = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useWorkbench: ${what} is not started yet; read it inside a test or hook`);
    return v;
  };
  before(async () => {
    ws = opts.workspace();
    cs = await startCodeServer({ workspace: ws.dir, settings: opts.settings?.() });
    wb = await openWorkbench(cs, opts.readyFile ?? 'README.md');
  });
  if (opts.failureShot) {
    const shot = path.join(screenshotDir('e2e'), opts.failureShot);
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await wb?.page.screenshot({ path: shot }).catch(() => undefined);
    });
  }
  after(async () => {
    await wb?.close();
    await cs?.stop();
    ws?.cleanup();
  });
  return {
    get ws() { return started(ws, 'the workspace'); },
    get cs() { return started(cs, 'code-server'); },
    get page() { return started(wb, 'the workbench').page; },
  };
}

/** Right-clicks `row` and runs the context menu entry `title`. */
export async function runContextMenu(page: Page, row: Locator, title: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: title }).first();
  await entry.waitFor({ timeout: 10_000 });
  await entry.hover();
  await page.keyboard.press('Enter');
}

/** The Registry view's rows, the view focused first. */
export async function registryViewRows(page: Page): Promise<Locator> {
  await runCommand(page, 'Prompt Ledger: Focus on Registry View');
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Registry' }) });
  return pane.locator('.monaco-list-row');
}

/**
 * Selects the first two rows (click, Ctrl+click), runs "Compare Runs" from their context menu,
 * and returns the comparison webview's content frame. `beforeCompare` runs with both selected.
 */
export async function compareTwoRunsFromRunsView(page: Page, rows: Locator, beforeCompare?: () => Promise<void>): Promise<FrameLocator> {
  await rows.nth(0).click();
  await rows.nth(1).click({ modifiers: ['Control'] });
  await beforeCompare?.();
  await rows.nth(1).click({ button: 'right' });
  const compare = page.locator('.monaco-menu .action-item', { hasText: 'Compare Runs' }).first();
  await compare.waitFor({ timeout: 10_000 });
  await compare.hover();
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'Compare 2 runs' }).first().waitFor({ timeout: 20_000 });
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}
