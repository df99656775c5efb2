// Loads a BUILT panel bundle (dist/webview/<panel>.js) in headless Chromium, in the same nonce-CSP
// shell the extension uses, served from a loopback server. A stub acquireVsCodeApi records every
// postMessage and hands it to a host-side handler in Node (the real CompareSession/RegistrySession),
// whose posts come back as window 'message' events — the same path VS Code uses.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../../src/extension/panels/webviewHtml';

const root = path.resolve(__dirname, '../../..');

export interface PanelPage {
  page: Page;
  url: string;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Messages the webview posted, in order. */
  posted: unknown[];
  post(msg: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export function ensureBuilt(panel: string): string {
  const bundle = path.join(root, 'dist', 'webview', `${panel}.js`);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node esbuild.mjs\` first`);
  return bundle;
}

/** Serves the shell, dist/webview and media on 127.0.0.1; nothing else. */
async function serve(panel: string): Promise<{ url: string; close(): Promise<void> }> {
  ensureBuilt(panel);
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (u.pathname === '/panel.html') {
      const nonce = makeNonce();
      // The stub goes in as a second nonce'd script before the bundle, as VS Code injects its own API.
      const stub = `<script nonce="${nonce}">
        window.__posted = [];
        window.acquireVsCodeApi = function () {
          var state = JSON.parse(sessionStorage.getItem('plState') || 'null') || undefined;
          return {
            postMessage: function (m) { window.__posted.push(m); if (window.__toHost) window.__toHost(JSON.stringify(m)); },
            getState: function () { return state; },
            setState: function (s) { state = s; sessionStorage.setItem('plState', JSON.stringify(s)); },
          };
        };
        document.addEventListener('securitypolicyviolation', function (e) { console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });
      </script>`;
      const html = webviewHtml({ title: panel, cspSource: origin, nonce, scriptUri: `${origin}/dist/webview/${panel}.js`, styleUri: `${origin}/media/panels.css` })
        .replace(`<script nonce="${nonce}" src=`, `${stub}\n<script nonce="${nonce}" src=`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const allowed = ['/dist/webview/', '/media/'].some((p) => u.pathname.startsWith(p));
    const file = path.join(root, path.normalize(u.pathname));
    if (!allowed || !file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/panel.html`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export async function openPanel(browser: Browser, panel: string, onMessage: (msg: unknown, pp: PanelPage) => void | Promise<void>, viewport = { width: 1400, height: 1000 }): Promise<PanelPage> {
  const srv = await serve(panel);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const posted: unknown[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Anything but our loopback origin is a failure (no remote content).
  await context.route('**/*', (route) => (route.request().url().startsWith(new URL(srv.url).origin) ? route.continue() : (problems.push(`blocked request ${route.request().url()}`), route.abort())));
  const pp: PanelPage = {
    page, url: srv.url, problems, posted,
    post: async (msg) => { await page.evaluate((m) => (globalThis as unknown as { postMessage(x: unknown, o: string): void }).postMessage(m, '*'), msg); },
    close: async () => { await context.close(); await srv.close(); },
  };
  await page.exposeFunction('__toHost', (json: string) => { const msg = JSON.parse(json) as unknown; posted.push(msg); return onMessage(msg, pp); });
  await page.goto(srv.url);
  return pp;
}

export function screenshotPath(name: string): string {
  const dir = path.join(root, 'test-output', 'panels');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
