// `npm run demo`: the extension in a real VS Code on a copy of examples/ (a git repo with a short
// history), recording to the embedded default store. Starts code-server with the packaged
// extension installed and prints the URL to open; Ctrl+C stops it.
// `--screenshot FILE` opens the workbench in headless Chromium, saves a picture and exits.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, freePort, openFile, openWorkbench, startCodeServer } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { codeServerBin } from './versions.mjs';

async function main(): Promise<void> {
  const shotIdx = process.argv.indexOf('--screenshot');
  const screenshot = shotIdx > 0 ? path.resolve(process.argv[shotIdx + 1]) : undefined;

  console.log('[demo] packaging the extension');
  const pkg = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', path.join(os.tmpdir(), 'prompt-ledger-demo.vsix')], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pkg.status !== 0) throw new Error('vsce package failed');

  const ws = makeExampleWorkspace();
  console.log(`[demo] workspace: ${ws.dir}`);
  // One eval run up front, through the CLI, so the Runs view has something to show.
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'eval', 'summarize.eval.yaml'], { cwd: ws.dir, stdio: 'inherit' });

  const port = Number(process.env.PORT) || await freePort();
  const cs = await startCodeServer({ workspace: ws.dir, port, installVsix: path.join(os.tmpdir(), 'prompt-ledger-demo.vsix') });
  const stop = async () => { await cs.stop(); ws.cleanup(); process.exit(0); };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  if (screenshot) {
    const wb = await openWorkbench(cs, 'README.md', { development: false });
    await openFile(wb.page, 'prompts/summarize.prompty');
    // The version lens of the demo's third commit, not just any lens (a loading placeholder is one too).
    const head = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: ws.dir, encoding: 'utf8' }).trim();
    const lens = wb.page.locator('.contentWidgets .codelens-decoration', { hasText: `v3 · ${head}` }).first();
    await lens.waitFor({ timeout: 30_000 });
    console.log(`[demo] codelens: ${(await lens.innerText()).replace(/\s+/g, ' ')}`);
    await wb.page.waitForTimeout(500);
    await wb.page.screenshot({ path: screenshot });
    console.log(`[demo] screenshot: ${screenshot}`);
    await wb.close();
    await stop();
    return;
  }
  console.log(`\n  Prompt Ledger demo is running in VS Code (code-server ${execFileSync(codeServerBin(), ['--version'], { encoding: 'utf8' }).split(' ')[0]}):\n\n    ${cs.url}\n\n  Open it in a browser (on a remote machine: forward port ${port}). Ctrl+C stops it.\n`);
  fs.writeFileSync(path.join(os.tmpdir(), 'prompt-ledger-demo.url'), cs.url);
}

main().catch((e) => { console.error(`[demo] ${e instanceof Error ? e.message : e}`); process.exit(1); });
