// The loopback fake LLM endpoint (bench/_evalFakeServer.ts) in its own process, so a bench
// measures the runner rather than the fake. Shared by the eval memory, resume and promptfoo benches.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

export interface FakeServerProcess {
  url: string;
  setLatency(ms: number): Promise<void>;
  /**
   * Sends it `requests` chat calls from this process (`concurrency` at a time), so a server just
   * started answers a measured run at its warm speed, as a real provider would.
   */
  warmUp(requests?: number, concurrency?: number): Promise<void>;
  stop(): Promise<void>;
}

async function sendWarmUp(url: string, requests: number, concurrency: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({ model: 'warm-up', messages: [{ role: 'user', content: 'warm up' }] });
  let left = requests;
  const lane = async (): Promise<void> => {
    while (left-- > 0) {
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${url}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    agent.destroy();
  }
}

/** `port`: listen there (a restart of a server whose URL workspaces hold); default a free one. */
export async function startFakeServerProcess(port?: number): Promise<FakeServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '_evalFakeServer.ts'), ...(port ? [String(port)] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
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
    warmUp: (requests = 5000, concurrency = 64) => sendWarmUp(url, requests, concurrency),
    stop: () => new Promise((resolve) => { if (child.exitCode !== null) resolve(); else { child.on('exit', () => resolve()); child.stdin!.end(); } }),
  };
}
