// Not a bench: where the wall of one in-process run goes (plan, first case, last case, end).
// Usage: tsx bench/_phases.ts <cases> <concurrency> <latency-ms>
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSuite } from '../src/core/eval/suiteLoader';
import { runSuite } from '../src/core/eval/runner';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { startFakeServerProcess } from './_fakeServerProcess';
import { evalWorkspace } from './_evalWorkspace';

async function once(url: string, cases: number, conc: number): Promise<string> {
  const ws = evalWorkspace(url, cases, conc);
  const store = await openEmbeddedStore(path.join(ws.dir, '.promptledger'));
  const suite = parseSuite(ws.suiteText, ws.suiteFile);
  const t0 = performance.now();
  let first = 0, last = 0;
  await runSuite(suite, { store, workspaceRoot: ws.dir, trusted: true, noCache: true, cacheDir: path.join(ws.dir, 'cache'), concurrency: conc, providerCtx: { env: {} },
    onProgress: (p) => { const t = performance.now() - t0; if (p.done === 1) first = t; last = t; } });
  const wall = performance.now() - t0;
  await store.close();
  fs.rmSync(ws.dir, { recursive: true, force: true });
  return `wall ${wall.toFixed(0)} first-case ${first.toFixed(0)} last-case ${last.toFixed(0)} end ${(wall - last).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const [cases, conc, lat] = process.argv.slice(2).map(Number);
  const server = await startFakeServerProcess();
  await server.setLatency(0);
  await once(server.url, cases, conc);
  await server.setLatency(lat);
  for (let i = 0; i < 3; i++) console.log(await once(server.url, cases, conc), `limit ${(cases / conc * lat).toFixed(0)}`);
  await server.stop();
}
void main();
