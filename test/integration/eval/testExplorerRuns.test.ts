// The editor's eval loop on the core: watch mode re-sends only the cases whose rendered request
// changed (the loopback fake counts them); a partial run (Test Explorer on some cases) is neither
// a previous run nor linked to a prompt version; the prompt's pass-rate line and its delta to the
// production version.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runSuite } from '../../../src/core/eval/runner';
import { parseSuite } from '../../../src/core/eval/suiteLoader';
import { findPreviousRun } from '../../../src/core/eval/runLinks';
import { WatchLoop } from '../../../src/core/eval/watchLoop';
import { passRateText, promptPassRate } from '../../../src/core/eval/promptPassRate';
import { isRunLinked } from '../../../src/core/registry/linkedRuns';
import { registerPrompt } from '../../../src/core/registry/promptStore';
import { normalizedContentHash } from '../../../src/core/prompts/contentHash';
import { makeEvalWorkspace, tagsOf, type EvalWorkspace } from './evalWorkspace';

const PROMPT = (brief: string) => `---
name: tone
template:
  format:
    kind: jinja2
---
system:
Answer the question.
{% if kind == "short" %}
${brief}
{% endif %}

user:
{{ q }}
`;

describe('editor eval loop: watch mode, partial runs, pass rate on the prompt', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  before(async () => {
    server = await startFakeLlmServer({ recordBodies: false });
    server.setBehavior(behaviors.echo());
    ws = await makeEvalWorkspace({ cases: 0 });
    fs.writeFileSync(path.join(ws.dir, 'tone.prompty'), PROMPT('Be brief.'));
    // 1,000 cases, 10 of which render the `short` line.
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { q: `question ${i}`, kind: i % 100 === 0 ? 'short' : 'long' } }));
    fs.writeFileSync(path.join(ws.dir, 'tone.jsonl'), `${lines.join('\n')}\n`);
    ws.suite(`prompt: tone.prompty
dataset: tone.jsonl
concurrency: 32
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    apiKeyEnv: FAKE_KEY
scorers:
  - type: contains
    value: "{{q}}"
`, 'tone.eval.yaml');
  });
  after(async () => { await server.stop(); await ws.cleanup(); });

  const suiteFile = () => path.join(ws.dir, 'tone.eval.yaml');
  const run = (signal?: AbortSignal, caseIds?: string[]) => runSuite(parseSuite(fs.readFileSync(suiteFile(), 'utf8'), suiteFile()), {
    store: ws.store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, signal,
    providerCtx: { env: { FAKE_KEY: 'sk-test' }, retry: { baseDelayMs: 1, maxDelayMs: 5 } }, ...(caseIds ? { caseIds } : {}),
  } as Parameters<typeof runSuite>[1]);

  it('watch mode: after a one-line change affecting 10 of 1,000 cases, exactly 10 requests reach the model', async () => {
    const results: Awaited<ReturnType<typeof run>>[] = [];
    const loop = new WatchLoop(async (signal) => { results.push(await run(signal)); }, 50);
    loop.trigger();
    await loop.idle();
    assert.equal(server.requests.length, 1000, 'the first pass sends every case');
    server.resetStats();
    fs.writeFileSync(path.join(ws.dir, 'tone.prompty'), PROMPT('Be very brief.'));
    loop.trigger();
    loop.trigger(); // a burst of saves is one pass
    await loop.idle();
    loop.dispose();
    assert.equal(server.requests.length, 10);
    assert.equal(results.length, 2);
    assert.equal(results[1].runs[0].metrics.case_count, 1000, 'the other 990 come from the cache, re-scored');
    assert.equal(results[1].runs[0].metrics.pass_rate, 1);
  });

  it('a run of some cases is tagged partial and is no previous run nor a prompt version\'s linked run', async () => {
    const full = await run();
    const partial = await run(undefined, ['q1', 'q2']);
    const r = await ws.store.getRun(partial.runs[0].runId);
    assert.equal(tagsOf(r)['promptledger.partial'], '2/1000');
    assert.equal(partial.runs[0].metrics.case_count, 2);
    const prev = await findPreviousRun(ws.store, { experimentId: full.experimentId, suite: 'tone.eval.yaml', model: partial.runs[0].model });
    assert.equal(prev?.info.runId, full.runs[0].runId, 'the partial run is skipped');
    const hash = tagsOf(r)['promptledger.promptHash'];
    assert.equal(isRunLinked(r, 'tone', '1', hash), false);
    assert.equal(isRunLinked(await ws.store.getRun(full.runs[0].runId), 'tone', '1', hash), true);
  });

  it('refuses an unknown case id, naming the dataset', async () => {
    await assert.rejects(run(undefined, ['nope']), /tone\.jsonl: no case with id "nope"/);
  });

  it('pass-rate line: this text\'s last run, its delta to production, and "edited — not evaluated"', async () => {
    assert.equal(passRateText(0.92, 0.88), 'pass 92 % ▲4 vs production');
    assert.equal(passRateText(0.5, 0.75), 'pass 50 % ▼25 vs production');
    const current = fs.readFileSync(path.join(ws.dir, 'tone.prompty'), 'utf8');
    const v1 = await registerPrompt(ws.store, 'tone', current);
    await ws.store.setAlias('tone', 'production', v1.version);
    const hash = normalizedContentHash(current);
    const st = await promptPassRate(ws.store, { name: 'tone', contentHash: hash, relPath: 'tone.prompty' });
    assert.equal(st?.text, 'pass 100 % ±0 vs production');
    const edited = await promptPassRate(ws.store, { name: 'tone', contentHash: normalizedContentHash(`${current}\nmore`), relPath: 'tone.prompty' });
    assert.equal(edited?.text, 'edited — not evaluated');
    assert.equal(await promptPassRate(ws.store, { name: 'tone', contentHash: 'x', relPath: 'other.prompty' }), undefined);
  });
});
