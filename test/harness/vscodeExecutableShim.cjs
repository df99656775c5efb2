#!/usr/bin/env node
// Stands in for a VS Code executable so @vscode/test-electron's runTests() works on machines
// that cannot download VS Code: it reads the arguments runTests passes
// (--extensionDevelopmentPath, --extensionTestsPath, the folder) and runs the same tests in
// code-server + headless Chromium, exiting with the extension host's code.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const argv = process.argv.slice(2);
const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const folder = argv.find((a) => !a.startsWith('--'));
const root = path.resolve(__dirname, '..', '..');
const r = spawnSync('npx', ['tsx', path.join(root, 'test/harness/runExtensionHostTests.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PL_EXTHOST_TESTS_PATH: opt('extensionTestsPath') ?? '',
    PL_EXTHOST_WORKSPACE: folder ? path.resolve(folder) : '',
  },
});
process.exit(r.status ?? 1);
