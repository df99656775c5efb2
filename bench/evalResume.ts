// Resume without paying twice: a 50,000-case run (built CLI, embedded store, cache off, loopback
// fake in its own process, 1 ms answers, concurrency 256) is SIGKILLed once half its cases are in
// the journal, then `--resume`d. Goal: the resume costs ≤ 55 % of a full run's wall time.
// Interleaved rounds (a full run and a resume of the same killed workspace, restored from a copy,
// in alternating order), the median of the rounds' shares reported: one pair alone swung
// 0.55–0.64 on this 2-core machine as its speed changed between the two measurements.
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
const ROUNDS = 5;
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
  let server = await startFakeServerProcess();
  const port = Number(new URL(server.url).port);
  const cli = path.join(root, 'dist', 'cli.js');
  // Each measured run gets a fresh fake server on the same port (the workspaces hold its URL),
  // warmed up first: a resume measured right after a full run was 10–20 % slower a case than one
  // measured first, as the server that had just answered 50,000 calls took more of the two cores;
  // a cold server's own warm-up, a fixed cost, weighed on the shorter run.
  const freshServer = async (): Promise<void> => {
    await server.stop();
    server = await startFakeServerProcess(port);
    await server.setLatency(1);
    await server.warmUp();
  };
  try {
    await server.setLatency(1);
    const killed = benchWorkspace(server.url, CASES, CONCURRENCY);
    const snapshot = `${killed.dir}-killed`;
    const shares: number[] = [];
    try {
      const child = spawn(process.execPath, [cli, 'eval', killed.suiteFile, '--no-cache'], { cwd: killed.dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      while (journalCases(killed.dir) < CASES / 2 && child.exitCode === null) await sleep(50);
      child.kill('SIGKILL');
      await exited;
      const before = journalCases(killed.dir);
      console.log(`killed with ${before} cases in the journal`);
      // The resume writes into its workspace; each round starts from the same killed state, restored
      // at the same path (the store records absolute paths).
      fs.cpSync(killed.dir, snapshot, { recursive: true });

      const fullRun = async (): Promise<number> => {
        const full = benchWorkspace(server.url, CASES, CONCURRENCY);
        await freshServer();
        try {
          const f = await cliPeak(['eval', full.suiteFile, '--no-cache'], full.dir);
          if (f.code !== 0) throw new Error(`full run exited ${f.code}`);
          return f.ms;
        } finally {
          fs.rmSync(full.dir, { recursive: true, force: true });
        }
      };
      const resume = async (): Promise<number> => {
        fs.rmSync(killed.dir, { recursive: true, force: true });
        fs.cpSync(snapshot, killed.dir, { recursive: true });
        await freshServer();
        const r = await cliPeak(['eval', killed.suiteFile, '--no-cache', '--resume'], killed.dir);
        if (r.code !== 0) throw new Error(`resume exited ${r.code}`);
        const after = journalCases(killed.dir);
        if (after !== CASES + 1) throw new Error(`the resumed journal has ${after} records, not ${CASES} cases and the end record`);
        return r.ms;
      };
      for (let round = 1; round <= ROUNDS; round++) {
        // Every other round measures the resume first, so a machine slowing down (or speeding up)
        // over the bench does not always favour the same side.
        let fullMs: number, resumeMs: number;
        if (round % 2) {
          fullMs = await fullRun();
          resumeMs = await resume();
        } else {
          resumeMs = await resume();
          fullMs = await fullRun();
        }
        shares.push(resumeMs / fullMs);
        console.log(`round ${round}: full run ${fullMs} ms, resume ${resumeMs} ms (journal ${before} → ${CASES} cases), share ${(resumeMs / fullMs).toFixed(3)}`);
      }
      const median = shares.slice().sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
      reportResult({ name: `eval resume of a ${CASES.toLocaleString('en-US')}-case run killed halfway, share of a full run's wall time (median of ${ROUNDS} interleaved rounds)`, value: median, unit: 'fraction', baseline: GOAL });
    } finally {
      fs.rmSync(killed.dir, { recursive: true, force: true });
      fs.rmSync(snapshot, { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
