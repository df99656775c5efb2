// `npm run test:electron`: the extension-host tests through @vscode/test-electron's runTests().
// With VSCODE_EXECUTABLE set (or on a machine that can download VS Code, PL_DOWNLOAD_VSCODE=1)
// they run in desktop VS Code; here the executable is a shim that runs them in code-server.
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const ws = makeExampleWorkspace();
  try {
    const vscodeExecutablePath = process.env.PL_DOWNLOAD_VSCODE
      ? undefined
      : process.env.VSCODE_EXECUTABLE || path.join(__dirname, 'vscodeExecutableShim.cjs');
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'exthost', 'index.js'),
      extensionTestsEnv: { PL_TEST_WORKSPACE: ws.dir },
      launchArgs: [ws.dir, '--disable-extensions'],
    });
    process.exit(code);
  } finally {
    ws.cleanup();
  }
}

main().catch((e) => { console.error('runTests failed:', e instanceof Error ? e.message : e); process.exit(1); });
