// Any program as the system under test: the rendered prompt goes to stdin (or the last argument),
// the answer is stdout. The program runs in its own process group so a timeout or cancel kills
// everything it started, not just the direct child.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ProviderError } from './providerError';
import { cancelledError, resolveRetryPolicy, withRetry } from './retry';
import type { CommandProviderConfig, ModelProvider, ProviderContext, ProviderResponse } from './types';

/** Output beyond this is a failure (the program is killed), so a runaway loop cannot eat memory. */
export const COMMAND_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const STDERR_TAIL_CHARS = 800;
/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 2000;

export function createCommandProvider(cfg: CommandProviderConfig, ctx: ProviderContext): ModelProvider {
  if (!cfg.command) throw new ProviderError('config', 'command provider: "command" is empty; name the program to run.');
  const policy = resolveRetryPolicy(ctx.retry);
  // Basename keeps ids short and machine-independent ('command:python', not '/usr/bin/python3').
  const id = `command:${path.basename(cfg.command)}`;
  return {
    id,
    kind: 'command',
    // env values may hold secrets: only the names take part in the key.
    cacheIdentity: {
      command: cfg.command,
      args: cfg.args ?? [],
      input: cfg.input,
      cwd: cfg.cwd ?? null,
      envNames: Object.keys(cfg.env ?? {}).sort(),
    },
    async complete(req, signal) {
      const { value, attempts } = await withRetry(() => runOnce(cfg, ctx, req.renderedText, signal), {
        policy,
        signal,
        providerId: id,
        sleep: ctx.sleep,
        random: ctx.random,
        onRetry: ctx.onRetry,
      });
      return { ...value, attempts };
    },
  };
}

function runOnce(
  cfg: CommandProviderConfig,
  ctx: ProviderContext,
  input: string,
  signal: AbortSignal,
): Promise<ProviderResponse> {
  if (signal.aborted) return Promise.reject(cancelledError());
  const timeoutMs = ctx.timeoutMs ?? 60_000;
  const args = [...(cfg.args ?? []), ...(cfg.input === 'arg' ? [input] : [])];
  const label = [cfg.command, ...(cfg.args ?? [])].join(' ');
  const started = performance.now();

  return new Promise<ProviderResponse>((resolve, reject) => {
    let settled = false;
    let timedOut = false;
    let overflow = false;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';

    const child = spawn(cfg.command, args, {
      cwd: cfg.cwd,
      env: { ...(ctx.env ?? process.env), ...(cfg.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group (POSIX) so killGroup reaches grandchildren (sh -c, npm run…).
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    const finish = (err: ProviderError | undefined, res?: ProviderResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const killGroup = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      sendSignal('SIGTERM');
      const hard = setTimeout(() => sendSignal('SIGKILL'), KILL_GRACE_MS);
      hard.unref();
      child.once('exit', () => clearTimeout(hard));
    };
    const sendSignal = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => {
      killGroup();
      finish(cancelledError());
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      finish(new ProviderError('timeout', `Command "${label}" did not finish within ${timeoutMs} ms; it was killed.`));
    }, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > COMMAND_MAX_OUTPUT_BYTES) {
        if (!overflow) {
          overflow = true;
          killGroup();
          finish(
            new ProviderError('command_failed', `Command "${label}" wrote more than ${COMMAND_MAX_OUTPUT_BYTES} bytes to stdout; it was killed.`),
          );
        }
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_TAIL_CHARS * 2);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ENOENT'
          ? ` Check that "${cfg.command}" is installed and on PATH${cfg.cwd ? ` (cwd ${cfg.cwd})` : ''}.`
          : '';
      finish(new ProviderError('command_failed', `Command "${label}" could not start: ${err.message}.${hint}`, { cause: err }));
    });
    // 'close' (not 'exit') so all of stdout has been read.
    child.on('close', (code, sig) => {
      if (timedOut || overflow) return;
      const latencyMs = performance.now() - started;
      const out = Buffer.concat(stdout).toString('utf8');
      if (code === 0) {
        finish(undefined, {
          text: out.replace(/\s+$/, ''),
          latencyMs,
          cached: false,
          finishReason: 'exit_0',
          raw: { exitCode: 0, stderr: tail(stderr) },
        });
        return;
      }
      const why = code !== null ? `exited with code ${code}` : `was killed by ${sig}`;
      const err = tail(stderr).trim();
      finish(new ProviderError('command_failed', `Command "${label}" ${why}${err ? `; stderr: ${err}` : ' (no stderr)'}`));
    });

    // A program that never reads stdin (or exits early) makes the write fail with EPIPE; that is
    // the program's business, its exit status decides the outcome.
    child.stdin.on('error', () => undefined);
    if (cfg.input === 'stdin') child.stdin.end(input, 'utf8');
    else child.stdin.end();
  });
}

function tail(s: string): string {
  return s.length > STDERR_TAIL_CHARS ? `…${s.slice(-STDERR_TAIL_CHARS)}` : s;
}
