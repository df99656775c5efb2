// The command provider on real programs: node scripts and sh, stdin and argument input,
// non-zero exits, timeouts and cancellation killing the whole process group.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProvider } from '../../../src/core/providers/createProvider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ProviderRequest } from '../../../src/core/providers/types';

const req = (text: string): ProviderRequest => ({ messages: [{ role: 'user', content: text }], params: {}, renderedText: text });
const signal = () => new AbortController().signal;

/** Running (a zombie waiting for an orphan reaper counts as dead: it was killed). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitUntil(pred: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('providers/command on real programs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cmd-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('node script reading stdin: output is stdout with the trailing whitespace trimmed', async () => {
    const p = createProvider({
      kind: 'command',
      command: process.execPath,
      args: ['-e', "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write('UPPER: '+s.toUpperCase()+'\\n\\n'))"],
      input: 'stdin',
    });
    const res = await p.complete(req('héllo\nworld'), signal());
    assert.equal(res.text, 'UPPER: HÉLLO\nWORLD');
    assert.equal(res.cached, false);
    assert.equal(res.attempts, 1);
    assert.deepEqual((res.raw as { exitCode: number }).exitCode, 0);
  });

  it("sh -c 'cat' round-trips a large prompt", async () => {
    const big = 'line of prompt text\n'.repeat(20_000); // 400 KB, more than a pipe buffer
    const res = await createProvider({ kind: 'command', command: 'sh', args: ['-c', 'cat'], input: 'stdin' }).complete(req(big), signal());
    assert.equal(res.text, big.trimEnd());
  });

  it('passes the prompt as the last argument, in cwd with env', async () => {
    fs.writeFileSync(path.join(dir, 'marker.txt'), 'here');
    const p = createProvider(
      {
        kind: 'command',
        command: 'sh',
        args: ['-c', 'printf "%s|%s|%s" "$1" "$GREETING" "$(cat marker.txt)"', 'sh'],
        input: 'arg',
        cwd: dir,
        env: { GREETING: 'hi' },
      },
      { env: { PATH: process.env.PATH } },
    );
    const res = await p.complete(req('the prompt; $(not expanded)'), signal());
    assert.equal(res.text, 'the prompt; $(not expanded)|hi|here');
  });

  it('non-zero exit → command_failed with the stderr tail', async () => {
    const p = createProvider({
      kind: 'command',
      command: process.execPath,
      args: ['-e', "process.stderr.write('x'.repeat(5000) + 'Traceback: model exploded'); process.exit(3)"],
      input: 'stdin',
    });
    await assert.rejects(p.complete(req('x'), signal()), (e: ProviderError) => {
      assert.equal(e.kind, 'command_failed');
      assert.equal(e.retryable, false);
      assert.match(e.message, /exited with code 3/);
      assert.match(e.message, /Traceback: model exploded$/);
      assert.ok(e.message.length < 1200, 'only the tail of stderr');
      return true;
    });
  });

  it('a missing program → command_failed that says what to check', async () => {
    const p = createProvider({ kind: 'command', command: 'definitely-not-a-program-pl', input: 'stdin' });
    await assert.rejects(p.complete(req('x'), signal()), (e: ProviderError) => e.kind === 'command_failed' && /ENOENT/.test(e.message) && /on PATH/.test(e.message));
  });

  it('a program that ignores stdin still works', async () => {
    const res = await createProvider({ kind: 'command', command: 'sh', args: ['-c', 'echo fixed'], input: 'stdin' }).complete(req('y'.repeat(300_000)), signal());
    assert.equal(res.text, 'fixed');
  });

  it('timeout kills the process group, grandchildren included', async () => {
    const pidFile = path.join(dir, 'pids');
    // sh starts a background grandchild (sleep) and waits; both must die.
    const p = createProvider(
      { kind: 'command', command: 'sh', args: ['-c', `sleep 30 & echo $$ $! > ${pidFile}; wait`], input: 'stdin' },
      { timeoutMs: 300, retry: { maxRetries: 0 } },
    );
    await assert.rejects(p.complete(req('x'), signal()), (e: ProviderError) => e.kind === 'timeout' && /killed/.test(e.message));
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(pids.length, 2);
    await waitUntil(() => pids.every((pid) => !alive(pid)), 'the process group to exit');
  });

  it('abort kills the program and rejects as cancelled', async () => {
    const pidFile = path.join(dir, 'pid');
    const ac = new AbortController();
    const p = createProvider({ kind: 'command', command: 'sh', args: ['-c', `echo $$ > ${pidFile}; exec sleep 30`], input: 'stdin' });
    const pending = p.complete(req('x'), ac.signal);
    await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 'the program to start');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    ac.abort();
    await assert.rejects(pending, (e: ProviderError) => e.kind === 'cancelled');
    await waitUntil(() => !alive(pid), 'the program to die');
  });
});
