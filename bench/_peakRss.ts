// Wall time and peak RSS of a measured process. The kernel's own peak (ru_maxrss, written by the
// process itself at exit through bench/_maxRssAtExit.cjs) is exact and costs the machine nothing
// while the process runs; a slow poll of /proc/<pid>/status VmHWM (which only grows) is kept for
// a process that does not get to write it. Polling every 10 ms instead took CPU from the two
// cores the measured run and its endpoint share.
import { spawn, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const PRELOAD = path.join(__dirname, '_maxRssAtExit.cjs');
const POLL_MS = 250;

export interface Measured { code: number; wallMs: number; peakKb: number }

/** Runs `cmd args` (a Node program: the preload rides on NODE_OPTIONS) to its exit. */
export async function runMeasured(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; stdio?: StdioOptions }): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-rss-'));
  try {
    const env = { ...opts.env, PL_BENCH_MAXRSS_DIR: dir, NODE_OPTIONS: `${opts.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(PRELOAD)}`.trim() };
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: opts.stdio ?? ['ignore', 'ignore', 'inherit'], env });
    let polled = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) polled = Math.max(polled, Number(m[1]));
      } catch { /* exited */ }
    }, POLL_MS);
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    const wallMs = performance.now() - t0;
    clearInterval(timer);
    let reported = 0;
    try {
      reported = Number(fs.readFileSync(path.join(dir, String(child.pid)), 'utf8')) || 0;
    } catch { /* killed before its exit handler ran */ }
    return { code, wallMs, peakKb: Math.max(reported, polled) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
