import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitAvailable } from '../../../src/core/versions/gitProbe';
import { GitTimeoutError, runGit, useGitExecutable } from '../../../src/core/versions/runGit';
import { labelFiles } from '../../../src/core/versions/versionLabels';

// Fake git executables (shell scripts) stand in for a hung git and for the editor's configured git.
describe('runGit: timeouts, cancellation and the editor\'s git executable', () => {
  let bin: string;
  const script = (name: string, body: string) => {
    const file = path.join(bin, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };
  before(() => { bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-rungit-')); });
  after(() => fs.rmSync(bin, { recursive: true, force: true }));
  afterEach(() => useGitExecutable(undefined));

  it('stops a git that hangs past its timeout and says so', async () => {
    const hung = script('hung-git', `echo $$ > '${bin}/hung.pid'\nexec sleep 30`);
    await assert.rejects(runGit(['log'], { cwd: bin, gitPath: hung, timeoutMs: 300 }), (e: unknown) => e instanceof GitTimeoutError && /git log did not finish/.test((e as Error).message));
    const pid = Number(fs.readFileSync(path.join(bin, 'hung.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    assert.throws(() => process.kill(pid, 0), 'the hung git is still running');
  });

  it('stops git when its signal aborts, with the signal\'s reason', async () => {
    const hung = script('slow-git', 'exec sleep 30');
    const controller = new AbortController();
    const run = runGit(['status'], { cwd: bin, gitPath: hung, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    await assert.rejects(run, /user cancelled/);
    await assert.rejects(runGit(['status'], { cwd: bin, gitPath: hung, signal: controller.signal }), /user cancelled/);
  });

  it('runs the executable the host set (git.path) for calls that name none', async () => {
    const mark = path.join(bin, 'configured-ran');
    const configured = script('configured-git', `touch '${mark}'\nexec git "$@"`);
    useGitExecutable(configured);
    const r = await runGit(['--version'], { cwd: bin });
    assert.equal(r.code, 0);
    assert.ok(fs.existsSync(mark), 'the configured git was not the one run');
    useGitExecutable(path.join(bin, 'nowhere', 'git'));
    assert.equal((await labelFiles(bin, ['a.prompty'])).get('a.prompty')?.state, 'no-git');
    assert.equal(await gitAvailable(), false);
  });
});
