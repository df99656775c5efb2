// Runs the extension-host test bundle (out/test/exthost) inside a real VS Code: code-server with
// our extension in development mode, the workbench opened in headless Chromium. Prints mocha-like
// lines (`N passing`, `N failing`) for test/runAll.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PROJECT_ROOT, injectDevelopmentOptions, launchChromium, screenshotDir, startCodeServer,
} from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

interface TestResult { title: string; state: 'passed' | 'failed' | 'pending'; error?: string }

export async function runExtensionHostTests(opts: { workspace?: string; testsPath?: string; keepResult?: boolean } = {}): Promise<{ exitCode: number; results: TestResult[]; resultFile?: string }> {
  const testsPath = opts.testsPath ?? path.join(PROJECT_ROOT, 'out', 'test', 'exthost', 'index.js');
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} missing: run \`node esbuild.mjs\` first`);
  const ws = opts.workspace ? undefined : makeExampleWorkspace();
  const workspace = opts.workspace ?? ws!.dir;
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pl-exthost-')), 'result.json');
  const cs = await startCodeServer({ workspace, env: { PL_EXTHOST_RESULT: resultFile, PL_TEST_WORKSPACE: workspace } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await injectDevelopmentOptions(page, { extensionDevelopmentPath: PROJECT_ROOT, extensionTestsPath: testsPath });
    await page.goto(cs.url);
    const timeoutMs = Number(process.env.PL_EXTHOST_TIMEOUT_MS || 300_000);
    // The deadline timer is cleared once the host reports, or it alone keeps the process alive.
    let deadline: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([exited, new Promise<number>((r) => { deadline = setTimeout(() => r(124), timeoutMs); })])
      .finally(() => clearTimeout(deadline));
    await page.screenshot({ path: path.join(screenshotDir('exthost'), 'workbench-at-exit.png') }).catch(() => undefined);
    const results: TestResult[] = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')).results : [];
    if (exitCode === 124) console.error(`extension host tests timed out after ${timeoutMs} ms\n${cs.output().slice(-3000)}`);
    return { exitCode, results, resultFile: opts.keepResult ? resultFile : undefined };
  } finally {
    await browser.close();
    await cs.stop();
    ws?.cleanup();
  }
}

async function main(): Promise<void> {
  // The @vscode/test-electron shim passes its --extensionTestsPath and folder through these.
  const { exitCode, results } = await runExtensionHostTests({
    testsPath: process.env.PL_EXTHOST_TESTS_PATH || undefined,
    workspace: process.env.PL_EXTHOST_WORKSPACE || undefined,
  });
  for (const r of results) {
    const mark = r.state === 'passed' ? '✔' : r.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${r.title}`);
    if (r.error) console.log(r.error.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  const count = (s: TestResult['state']) => results.filter((r) => r.state === s).length;
  let failed = count('failed');
  if (exitCode !== 0 && failed === 0) failed = 1; // the host died or timed out before reporting
  if (results.length === 0 && failed === 0) failed = 1; // no result file: nothing ran, which is no pass
  console.log(`\n  ${count('passed')} passing`);
  if (failed) console.log(`  ${failed} failing`);
  if (count('pending')) console.log(`  ${count('pending')} pending`);
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => { console.error(e); console.log('  0 passing\n  1 failing'); process.exit(1); });
}
