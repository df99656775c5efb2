// bench-timeout-s: 1500
// Side by side with promptfoo on the same loopback endpoint (the fake in its own process, 100 ms
// answers): 1,000 cases @16 and 5,000 @64, our built CLI (embedded store, cache off) against a
// pinned promptfoo (cache, telemetry and update checks off). Reports wall time (ratio = speedup,
// promptfoo / ours) and each one's peak RSS. promptfoo needs Node ≥ 22.22, so it runs on npm's
// `node` package installed next to it in ~/.cache/prompt-ledger/bench-promptfoo-<version>.
// If it cannot be installed here, the bench says so and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportResult } from './report';
import { startFakeServerProcess } from './_fakeServerProcess';
import { benchWorkspace, cliPeak } from './evalMemory';
import { buildProductionBundles } from './_build';

const PROMPTFOO_VERSION = '0.123.1';
const NODE_VERSION = '22.23.3';
const LATENCY_MS = 100;
const SIZES: [number, number][] = [[1000, 16], [5000, 64]];
const cacheDir = path.join(os.homedir(), '.cache', 'prompt-ledger', `bench-promptfoo-${PROMPTFOO_VERSION}`);

/** Installs promptfoo and Node 22 into the cache once (keyed by version); the reason when it cannot. */
function ensurePromptfoo(): { node: string; cli: string } | { error: string } {
  const node = path.join(cacheDir, 'node_modules', 'node', 'bin', 'node');
  const cli = path.join(cacheDir, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');
  if (fs.existsSync(node) && fs.existsSync(cli)) return { node, cli };
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'bench-promptfoo', private: true }));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `promptfoo@${PROMPTFOO_VERSION}`, `node@${NODE_VERSION}`], { cwd: cacheDir, encoding: 'utf8', timeout: 15 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return { error: `npm install promptfoo@${PROMPTFOO_VERSION} node@${NODE_VERSION} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
  if (!fs.existsSync(node)) return { error: `npm's node@${NODE_VERSION} package did not provide ${node}` };
  if (!fs.existsSync(cli)) return { error: `promptfoo@${PROMPTFOO_VERSION} has no ${cli}` };
  return { node, cli };
}

function promptfooConfig(dir: string, url: string, cases: number): string {
  // The same prompt, cases and checks as benchWorkspace's suite, in promptfoo's format.
  const tests = Array.from({ length: cases }, (_, i) => ({ vars: { topic: `topic ${i % 37}`, n: i }, assert: [{ type: 'icontains', value: `topic ${i % 37}` }, { type: 'levenshtein', value: `topic ${i % 37}`, threshold: 200 }] }));
  fs.writeFileSync(path.join(dir, 'tests.json'), JSON.stringify(tests));
  const file = path.join(dir, 'promptfooconfig.yaml');
  fs.writeFileSync(file, `prompts:
  - '[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "What is {{ topic }}? Case {{ n }}."}]'
providers:
  - id: openai:chat:gpt-4o-mini
    config:
      apiBaseUrl: ${url}/v1
      apiKey: sk-local-bench
tests: file://tests.json
`);
  return file;
}

async function main(): Promise<void> {
  buildProductionBundles();
  const pf = ensurePromptfoo();
  if ('error' in pf) {
    console.log(`promptfoo could not be installed here, so there is no side-by-side: ${pf.error}`);
    return;
  }
  const server = await startFakeServerProcess();
  try {
    await server.setLatency(LATENCY_MS);
    for (const [cases, conc] of SIZES) {
      const ws = benchWorkspace(server.url, cases, conc);
      try {
        const ours = await cliPeak(['eval', ws.suiteFile, '--no-cache'], ws.dir);
        if (ours.code !== 0) throw new Error(`prompt-ledger exited ${ours.code}`);
        const config = promptfooConfig(ws.dir, server.url, cases);
        const env = {
          ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CACHE_ENABLED: 'false',
          PROMPTFOO_CONFIG_DIR: path.join(ws.dir, '.promptfoo'), PROMPTFOO_DISABLE_SHARING: '1', CI: '1', OPENAI_API_KEY: 'sk-local-bench',
        };
        const theirs = await cliPeak([pf.cli, 'eval', '-c', config, '--no-cache', '--max-concurrency', String(conc), '--no-progress-bar', '--no-table'], ws.dir, { node: pf.node, env });
        // promptfoo exits 100 when some tests fail; anything else is a failure to run.
        if (theirs.code !== 0 && theirs.code !== 100) throw new Error(`promptfoo exited ${theirs.code}`);
        console.log(`${cases} @${conc}: prompt-ledger ${ours.ms} ms / ${ours.mb.toFixed(0)} MB; promptfoo ${theirs.ms} ms / ${theirs.mb.toFixed(0)} MB`);
        reportResult({ name: `vs promptfoo ${PROMPTFOO_VERSION}: ${cases.toLocaleString('en-US')} cases @${conc}, ${LATENCY_MS} ms endpoint (wall, ours)`, value: ours.ms, unit: 'ms', baseline: theirs.ms });
        reportResult({ name: `vs promptfoo ${PROMPTFOO_VERSION}: ${cases.toLocaleString('en-US')} cases @${conc}, peak RSS (ours)`, value: ours.mb, unit: 'MB', baseline: theirs.mb });
      } finally {
        fs.rmSync(ws.dir, { recursive: true, force: true });
      }
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
