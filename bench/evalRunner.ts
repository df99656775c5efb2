// Eval runner throughput and footprint: 1,000 cases at concurrency 16 against the loopback fake
// LLM endpoint, logged to the embedded store.
//  - 100 ms endpoint: wall time vs the ideal (1000/16 × 100 ms); ratio = ideal / wall (goal ≥ 0.9)
//  - 0 ms endpoint: runner overhead per case in ms (goal ≤ 1 ms; ratio = 1 / value)
//  - peak RSS of the built CLI (`node dist/cli.js eval …`) running the same suite (goal ≤ 120 MB)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSuite } from '../src/core/eval/suiteLoader';
import { runSuite } from '../src/core/eval/runner';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { reportResult } from './report';

const CASES = 1000;
const CONCURRENCY = 16;
const LATENCY_MS = 100;
const root = path.resolve(__dirname, '..');

function workspace(url: string): { dir: string; suiteFile: string; suiteText: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-eval-'));
  fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: bench\n---\nsystem:\nAnswer briefly.\n\nuser:\nWhat is {{ topic }}? Case {{ n }}.\n');
  const lines = Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { topic: `topic ${i % 37}`, n: i }, expected: `topic ${i % 37}` }));
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
  const suiteText = `prompt: p.md
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${url}/v1
    noAuth: true
scorers:
  - type: icontains
    value: "{{topic}}"
  - type: levenshtein
    threshold: 200
  - type: pii
thresholds:
  pass_rate: 0.5
concurrency: ${CONCURRENCY}
`;
  const suiteFile = path.join(dir, 'bench.eval.yaml');
  fs.writeFileSync(suiteFile, suiteText);
  return { dir, suiteFile, suiteText };
}

/** The fake endpoint runs in its own process (bench/_evalFakeServer.ts). */
interface FakeServerProcess { url: string; setLatency(ms: number): Promise<void>; stop(): Promise<void> }

async function startServerProcess(): Promise<FakeServerProcess> {
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
    stop: () => new Promise((resolve) => { child.on('exit', () => resolve()); child.stdin!.end(); }),
  };
}

async function timedRun(server: FakeServerProcess, latencyMs: number): Promise<number> {
  await server.setLatency(latencyMs);
  const ws = workspace(server.url);
  const store = await openEmbeddedStore(path.join(ws.dir, '.promptledger'));
  try {
    const suite = parseSuite(ws.suiteText, ws.suiteFile);
    const t0 = performance.now();
    const res = await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, noCache: true, cacheDir: path.join(ws.dir, 'cache'), concurrency: CONCURRENCY, providerCtx: { env: {} } });
    const wall = performance.now() - t0;
    if (res.runs[0].rows.length !== CASES || res.runs[0].metrics.error_count !== 0) throw new Error(`bench run incomplete: ${JSON.stringify(res.runs[0].metrics)}`);
    return wall;
  } finally {
    await store.close();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/** Peak RSS (kB) of the CLI: polls /proc/<pid>/status VmHWM (monotonic) until the process exits. */
async function cliPeakRssKb(server: FakeServerProcess): Promise<{ kb: number; code: number }> {
  await server.setLatency(0);
  const ws = workspace(server.url);
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  try {
    const child = spawn(process.execPath, [cli, 'eval', ws.suiteFile, '--no-cache', '--concurrency', String(CONCURRENCY)], { cwd: ws.dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
    let peak = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch { /* exited */ }
    };
    const timer = setInterval(sample, 10);
    // Sample once more when stdio closes but before the exit is reaped is not possible in Node,
    // so the 10 ms polling is what bounds the error (HWM only grows, the last sample is close).
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    clearInterval(timer);
    return { kb: peak, code };
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  try {
    await timedRun(server, 0); // warm-up: JIT, module loading, sockets
    const ideal = (CASES / CONCURRENCY) * LATENCY_MS;
    const wall100 = await timedRun(server, LATENCY_MS);
    reportResult({ name: `eval runner: ${CASES} cases, concurrency ${CONCURRENCY}, ${LATENCY_MS} ms endpoint (wall)`, value: wall100, unit: 'ms', baseline: ideal });
    const wall0 = await timedRun(server, 0);
    const perCase = wall0 / CASES;
    reportResult({ name: `eval runner: overhead per case (${CASES} cases, 0 ms endpoint, embedded store)`, value: perCase, unit: 'ms', baseline: 1, ratio: 1 / perCase });
    const rss = await cliPeakRssKb(server);
    if (rss.code !== 0) console.log(`cli exited with ${rss.code}`);
    const mb = rss.kb / 1024;
    reportResult({ name: `eval CLI peak RSS (${CASES} cases, concurrency ${CONCURRENCY})`, value: mb, unit: 'MB', baseline: 120 });
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
