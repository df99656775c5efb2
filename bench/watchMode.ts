// Watch mode: a 1,000-case suite evaluated once, then a one-line prompt change that only 10 cases
// render (a Jinja branch taken by every hundredth case), saved and picked up by the watch loop
// (core/eval/watchLoop.ts, what the Test Explorer's continuous run drives). The loopback fake
// counts what reaches the model: exactly 10 requests (also asserted in test/exthost/testingWatch).
// Second result: the watch pass's wall time against the first, full run's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { behaviors, startFakeLlmServer } from '../test/helpers/fakeLlmServer';
import { loadSuite } from '../src/core/eval/suiteLoader';
import { runSuite } from '../src/core/eval/runner';
import { WatchLoop } from '../src/core/eval/watchLoop';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { reportResult } from './report';

const CASES: number = 1000;
const AFFECTED: number = 10;
const prompt = (brief: string) => `---\nname: tone\ntemplate:\n  format:\n    kind: jinja2\n---\nsystem:\nAnswer the question.\n{% if kind == "short" %}\n${brief}\n{% endif %}\n\nuser:\n{{ q }}\n`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-watch-'));
  const server = await startFakeLlmServer({ recordBodies: false });
  server.setBehavior(behaviors.echo({ latencyMs: 5 }));
  const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  try {
    fs.writeFileSync(path.join(dir, 'tone.prompty'), prompt('Be brief.'));
    const lines = Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { q: `question ${i}`, kind: i % (CASES / AFFECTED) === 0 ? 'short' : 'long' } }));
    fs.writeFileSync(path.join(dir, 'tone.jsonl'), `${lines.join('\n')}\n`);
    const suiteFile = path.join(dir, 'tone.eval.yaml');
    fs.writeFileSync(suiteFile, `prompt: tone.prompty\ndataset: tone.jsonl\nconcurrency: 32\nmodels:\n  - provider: openai\n    model: fake-model\n    baseUrl: ${server.url}/v1\n    noAuth: true\nscorers:\n  - type: contains\n    value: "{{q}}"\n`);
    const opts = { store, workspaceRoot: dir, trusted: true, cacheDir: path.join(dir, '.promptledger', 'cache') };

    const t0 = performance.now();
    await runSuite(loadSuite(suiteFile), opts);
    const fullMs = performance.now() - t0;
    if (server.requests.length !== CASES) throw new Error(`first run sent ${server.requests.length} requests, expected ${CASES}`);

    server.resetStats();
    let passMs = 0;
    const loop = new WatchLoop(async (signal) => {
      const t = performance.now();
      await runSuite(loadSuite(suiteFile), { ...opts, signal });
      passMs = performance.now() - t;
    }, 50);
    fs.writeFileSync(path.join(dir, 'tone.prompty'), prompt('Be short.'));
    loop.trigger();
    await loop.idle();
    loop.dispose();
    const sent = server.requests.length;
    console.log(`watch pass after a one-line change: ${sent} requests (expected ${AFFECTED}), ${passMs.toFixed(0)} ms vs full run ${fullMs.toFixed(0)} ms`);
    if (sent !== AFFECTED) throw new Error(`watch mode sent ${sent} requests, expected exactly ${AFFECTED}`);
    reportResult({ name: 'watch mode: requests after a one-line change (10 of 1,000 cases)', value: sent, unit: 'requests', baseline: AFFECTED });
    reportResult({ name: 'watch mode: pass after the change vs a full run', value: passMs, unit: 'ms', baseline: fullMs });
  } finally {
    await store.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => { console.error(err); process.exitCode = 1; });
