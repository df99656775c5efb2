// The README's first quick-start command: the packaged extension installed into code-server on a
// copy of examples/, with one CLI eval run recorded; `--screenshot` checks it and exits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, screenshotDir } from '../helpers/codeServer';

describe('demo (packaged extension in code-server)', () => {
  it('packages, installs and shows the prompt version CodeLens', () => {
    const shot = path.join(screenshotDir('e2e'), 'demo.png');
    fs.rmSync(shot, { force: true });
    const r = spawnSync('npx', ['tsx', path.join(PROJECT_ROOT, 'test/setup/openDemo.ts'), '--screenshot', shot], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 240_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out.slice(-3000));
    assert.match(out, /FINISHED PASS/);
    assert.match(out, /\[demo\] codelens: v3 · [0-9a-f]{7}.*Run eval/, 'the version CodeLens text');
    assert.ok(fs.existsSync(shot), 'screenshot written');
  });
});
