// Not a bench: the built CLI's and the fake endpoint's CPU seconds for one run (where the two cores go).
// Usage: tsx bench/_cpuSplit.ts <cases> <concurrency> <latency-ms>
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeServerProcess } from './_fakeServerProcess';
import { evalWorkspace } from './_evalWorkspace';

const cpu = (pid: number, file = `/proc/${pid}/stat`) => { const f = fs.readFileSync(file, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };

async function main(): Promise<void> {
  const [cases, conc, lat] = process.argv.slice(2).map(Number);
  const server = await startFakeServerProcess();
  await server.setLatency(lat);
  const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => { try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('_evalFakeServer'); } catch { return false; } });
  const ws = evalWorkspace(server.url, cases, conc);
  const s0 = pids.map((p) => cpu(p));
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(process.env.CLI_NODE_FLAGS ? process.env.CLI_NODE_FLAGS.split(' ') : []), path.resolve(__dirname, '..', 'dist', 'cli.js'), 'eval', ws.suiteFile, '--no-cache', '--concurrency', String(conc)], { cwd: ws.dir, stdio: ['ignore', process.env.CLI_STDOUT ? 'inherit' : 'ignore', 'inherit'], env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' } });
  let last = 0;
  const threads = new Map<string, number>();
  const timer = setInterval(() => {
    try {
      last = cpu(child.pid!);
      for (const t of fs.readdirSync(`/proc/${child.pid}/task`)) {
        const name = fs.readFileSync(`/proc/${child.pid}/task/${t}/comm`, 'utf8').trim();
        threads.set(`${name}#${t}`, cpu(0, `/proc/${child.pid}/task/${t}/stat`));
      }
    } catch { /* gone */ }
  }, 50);
  await new Promise((r) => child.on('exit', r));
  clearInterval(timer);
  const wall = performance.now() - t0;
  const s1 = pids.map((p) => cpu(p));
  console.log(`wall ${(wall / 1000).toFixed(2)} s, limit ${(cases / conc * lat / 1000).toFixed(2)} s; CLI cpu ≥${last.toFixed(2)} s; fake server cpu ${(s1.reduce((a, b) => a + b, 0) - s0.reduce((a, b) => a + b, 0)).toFixed(2)} s`);
  console.log([...threads].filter(([, v]) => v > 0.05).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '));
  await server.stop();
  fs.rmSync(ws.dir, { recursive: true, force: true });
}
void main();
