// `npm run test:electron` keeps @vscode/test-electron's runTests() working: here its
// vscodeExecutablePath is the code-server stand-in, and the extension-host suite must pass through it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/codeServer';

describe('@vscode/test-electron route', () => {
  it('runTests() runs the extension-host tests through the code-server stand-in', () => {
    const r = spawnSync('npx', ['tsx', path.join(PROJECT_ROOT, 'test/harness/runWithTestElectron.ts')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out.slice(-3000));
    assert.match(out, /\d+ passing/);
    assert.doesNotMatch(out, /\d+ failing/);
  });
});
