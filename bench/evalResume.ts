// Resume without paying twice: a 50,000-case run (built CLI, embedded store, cache off, loopback
// fake in its own process, 1 ms answers, concurrency 256) is SIGKILLed once half its cases are in
// the journal, then `--resume`d. Goal: the resume costs ≤ 55 % of a full run's wall time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { reportResult } from './report';
import { startFakeServerProcess } from './_fakeServerProcess';
import { benchWorkspace, cliPeak } from './evalMemory';
import { buildProductionBundles } from './_build';

const root = path.resolve(__dirname, '..');
const CASES = 50_000;
const CONCURRENCY = 256;
const GOAL = 0.55;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function journalCases(dir: string): number {
  const base = path.join(dir, '.promptledger', 'case-journals');
  const ids = fs.existsSync(base) ? fs.readdirSync(base) : [];
  if (!ids.length) return 0;
  const file = path.join(base, ids[0], 'cases.jsonl');
  if (!fs.existsSync(file)) return 0;
  let n = 0;
  const buf = fs.readFileSync(file);
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n - 1; // the header line
}

async function main(): Promise<void> {
  buildProductionBundles();
  const server = await startFakeServerProcess();
  const cli = path.join(root, 'dist', 'cli.js');
  try {
    await server.setLatency(1);
    const full = benchWorkspace(server.url, CASES, CONCURRENCY);
    const killed = benchWorkspace(server.url, CASES, CONCURRENCY);
    try {
      const f = await cliPeak(['eval', full.suiteFile, '--no-cache'], full.dir);
      if (f.code !== 0) throw new Error(`full run exited ${f.code}`);
      console.log(`full run: ${f.ms} ms`);

      const child = spawn(process.execPath, [cli, 'eval', killed.suiteFile, '--no-cache'], { cwd: killed.dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      while (journalCases(killed.dir) < CASES / 2 && child.exitCode === null) await sleep(50);
      child.kill('SIGKILL');
      await exited;
      const before = journalCases(killed.dir);
      console.log(`killed with ${before} cases in the journal`);

      const r = await cliPeak(['eval', killed.suiteFile, '--no-cache', '--resume'], killed.dir);
      if (r.code !== 0) throw new Error(`resume exited ${r.code}`);
      const after = journalCases(killed.dir);
      console.log(`resume: ${r.ms} ms, journal ${before} → ${after} records (end record included)`);
      const ratio = r.ms / f.ms;
      reportResult({ name: `eval resume of a ${CASES.toLocaleString('en-US')}-case run killed halfway, share of a full run's wall time`, value: ratio, unit: 'fraction', baseline: GOAL });
    } finally {
      fs.rmSync(full.dir, { recursive: true, force: true });
      fs.rmSync(killed.dir, { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
