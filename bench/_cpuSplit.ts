// Not a bench: the built CLI's and the fake endpoint's CPU seconds for one run (where the two cores go).
// Usage: tsx bench/_cpuSplit.ts <cases> <concurrency> <latency-ms>
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeServerProcess } from './_fakeServerProcess';
import { evalWorkspace } from './_evalWorkspace';

const cpu = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };

async function main(): Promise<void> {
  const [cases, conc, lat] = process.argv.slice(2).map(Number);
  const server = await startFakeServerProcess();
  await server.setLatency(lat);
  const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => { try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('_evalFakeServer'); } catch { return false; } });
  const ws = evalWorkspace(server.url, cases, conc);
  const s0 = pids.map(cpu);
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', 'dist', 'cli.js'), 'eval', ws.suiteFile, '--no-cache', '--concurrency', String(conc)], { cwd: ws.dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' } });
  let last = 0;
  const timer = setInterval(() => { try { last = cpu(child.pid!); } catch { /* gone */ } }, 50);
  await new Promise((r) => child.on('exit', r));
  clearInterval(timer);
  const wall = performance.now() - t0;
  const s1 = pids.map(cpu);
  console.log(`wall ${(wall / 1000).toFixed(2)} s, limit ${(cases / conc * lat / 1000).toFixed(2)} s; CLI cpu ≥${last.toFixed(2)} s; fake server cpu ${(s1.reduce((a, b) => a + b, 0) - s0.reduce((a, b) => a + b, 0)).toFixed(2)} s`);
  await server.stop();
  fs.rmSync(ws.dir, { recursive: true, force: true });
}
void main();
