// Not a bench (leading underscore): runs the built CLI once under --cpu-prof against the fake in
// its own process, for finding where a case's time goes. Usage: tsx bench/_profileEval.ts <cases> <concurrency> <latency-ms> <outDir>
// (PROF_FLAGS="--heap-prof" or "--trace-gc --heap-prof" instead of the default --cpu-prof).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

async function main(): Promise<void> {
  const [cases, conc, lat, out] = process.argv.slice(2);
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '_evalFakeServer.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => server.stdout!.once('data', (d) => r(String(d).trim())));
  server.stdin!.write(`latency ${lat}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-prof-'));
  fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: bench\n---\nsystem:\nAnswer briefly.\n\nuser:\nWhat is {{ topic }}? Case {{ n }}.\n');
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: Number(cases) }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { topic: `topic ${i % 37}`, n: i }, expected: `topic ${i % 37}` })).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'bench.eval.yaml'), `prompt: p.md\ndataset: cases.jsonl\nmodels:\n  - provider: openai\n    model: gpt-4o-mini\n    baseUrl: ${url}/v1\n    noAuth: true\nscorers:\n  - type: icontains\n    value: "{{topic}}"\n  - type: levenshtein\n    threshold: 200\n  - type: pii\nthresholds:\n  pass_rate: 0.5\n`);
  const t0 = performance.now();
  execFileSync(process.execPath, [...(process.env.PROF_FLAGS ?? '--cpu-prof').split(' '), process.env.PROF_FLAGS ? '--heap-prof-dir' : '--cpu-prof-dir', out!, path.resolve(__dirname, '..', 'dist', 'cli.js'), 'eval', 'bench.eval.yaml', '--no-cache', '--concurrency', conc!], { cwd: dir, stdio: 'inherit', env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: '' } });
  console.log(`wall ${(performance.now() - t0).toFixed(0)} ms`);
  server.stdin!.end();
  fs.rmSync(dir, { recursive: true, force: true });
}
void main();
