// Flat memory: peak RSS of the built CLI (`node dist/cli.js eval …`, embedded store, cache off)
// at 1,000 / 5,000 / 50,000 cases against the loopback fake (its own process, 0 ms answers,
// concurrency 64). Goal: ≤ 150 MB at 50,000 cases, and growth from 1k to 50k well below linear.
import fs from 'node:fs';
import path from 'node:path';
import { reportResult } from './report';
import { evalWorkspace } from './_evalWorkspace';
import { startFakeServerProcess, type FakeServerProcess } from './_fakeServerProcess';
import { runMeasured } from './_peakRss';
import { buildProductionBundles } from './_build';

const root = path.resolve(__dirname, '..');
const SIZES = [1000, 5000, 50000];
const CONCURRENCY = 64;
const GOAL_MB_AT_50K = 150;

/** The eval benches' workspace with the two checks promptfoo's side repeats (evalResume, vsPromptfoo use it too). */
export function benchWorkspace(url: string, cases: number, concurrency: number): { dir: string; suiteFile: string } {
  return evalWorkspace(url, cases, concurrency, { promptfooChecks: true });
}

/** Peak RSS (MB) and wall time of one run of our CLI. */
export function cliPeak(args: string[], cwd: string, other?: { node: string; env: NodeJS.ProcessEnv }): Promise<{ mb: number; ms: number; code: number }> {
  return other ? processPeak(other.node, args, cwd, other.env) : processPeak(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], cwd, { ...process.env, CI: '1' });
}

/** Peak RSS (MB) and wall time of a process (bench/_peakRss.ts). */
export async function processPeak(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ mb: number; ms: number; code: number }> {
  const r = await runMeasured(cmd, args, { cwd, env });
  return { mb: r.peakKb / 1024, ms: Math.round(r.wallMs), code: r.code };
}

async function main(): Promise<void> {
  buildProductionBundles();
  const server: FakeServerProcess = await startFakeServerProcess();
  try {
    await server.setLatency(0);
    const peaks: number[] = [];
    for (const n of SIZES) {
      const ws = benchWorkspace(server.url, n, CONCURRENCY);
      try {
        const r = await cliPeak(['eval', ws.suiteFile, '--no-cache'], ws.dir);
        if (r.code !== 0) throw new Error(`CLI exited ${r.code} at ${n} cases`);
        peaks.push(r.mb);
        console.log(`${n} cases: peak RSS ${r.mb.toFixed(1)} MB, ${r.ms} ms`);
        reportResult({ name: `eval CLI peak RSS, ${n.toLocaleString('en-US')} cases @${CONCURRENCY}`, value: r.mb, unit: 'MB', baseline: GOAL_MB_AT_50K });
      } finally {
        fs.rmSync(ws.dir, { recursive: true, force: true });
      }
    }
    const growth = peaks[2] - peaks[0];
    reportResult({ name: 'eval CLI RSS growth 1k → 50k cases', value: growth, unit: 'MB', baseline: GOAL_MB_AT_50K - peaks[0] });
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
