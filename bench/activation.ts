// Extension activation time and the on-save label update, measured inside a real VS Code
// (code-server's extension host) on an empty folder, so activation is not already done.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExtensionHostTests } from '../test/harness/runExtensionHostTests';
import { reportResult } from './report';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const testsPath = path.join(root, 'out', 'bench', 'exthost', 'index.js');
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-act-'));
  try {
    const { exitCode, resultFile } = await runExtensionHostTests({ workspace: ws, testsPath, keepResult: true });
    const data = resultFile && fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
    if (exitCode !== 0 || !data?.bench) throw new Error(`activation bench failed in the extension host (exit ${exitCode})`);
    reportResult({ name: 'extension activation in VS Code (goal 50 ms)', value: data.bench.activationMs, unit: 'ms', baseline: 50 });
    reportResult({ name: 'label update after save, 50 prompt files, incl. 150 ms debounce (goal 500 ms)', value: data.bench.onSaveUpdateMs, unit: 'ms', baseline: 500 });
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
