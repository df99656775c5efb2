// The loopback fake LLM endpoint (bench/_evalFakeServer.ts) in its own process, so a bench
// measures the runner rather than the fake. Shared by the eval memory, resume and promptfoo benches.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface FakeServerProcess { url: string; setLatency(ms: number): Promise<void>; stop(): Promise<void> }

export async function startFakeServerProcess(): Promise<FakeServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '_evalFakeServer.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => { const l = lines.shift(); if (l !== undefined) resolve(l); else waiters.push(resolve); });
  const url = await nextLine();
  return {
    url,
    async setLatency(ms) { child.stdin!.write(`latency ${ms}\n`); await nextLine(); },
    stop: () => new Promise((resolve) => { if (child.exitCode !== null) resolve(); else { child.on('exit', () => resolve()); child.stdin!.end(); } }),
  };
}
