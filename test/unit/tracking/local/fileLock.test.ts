import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireFileLock } from '../../../../src/core/tracking/local/fileLock';
import { TrackingError } from '../../../../src/core/tracking/types';

describe('embedded store write lock', function () {
  let dir: string;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-lock-'));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('excludes a second holder until released', async function () {
    const lockPath = path.join(dir, 'write.lock');
    const a = await acquireFileLock(lockPath);
    let got = false;
    const b = acquireFileLock(lockPath).then((l) => { got = true; return l; });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(got, false);
    a.release();
    (await b).release();
    assert.ok(!fs.existsSync(lockPath));
  });

  it('breaks a lock left by a dead process (pid no longer running)', async function () {
    const lockPath = path.join(dir, 'write.lock');
    // A pid that surely exited: a child we ran to completion.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(lockPath, JSON.stringify({ pid: Number(dead), host: os.hostname(), token: 'x', time: Date.now() }));
    const l = await acquireFileLock(lockPath, { timeoutMs: 2000 });
    assert.equal(JSON.parse(fs.readFileSync(lockPath, 'utf8')).pid, process.pid);
    l.release();
  });

  it('times out with UNAVAILABLE naming the holder when a live process holds it', async function () {
    const lockPath = path.join(dir, 'write.lock');
    fs.writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'x', time: Date.now() }));
    await assert.rejects(acquireFileLock(lockPath, { timeoutMs: 100 }), (e: unknown) => e instanceof TrackingError && e.code === 'UNAVAILABLE' && e.message.includes(String(process.ppid)));
  });
});
