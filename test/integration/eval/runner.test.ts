import assert from 'node:assert/strict';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runSuite, type EvalProgress } from '../../../src/core/eval/runner';
import { compareWithPrevious } from '../../../src/core/eval/runLinks';
import { UntrustedWorkspaceError } from '../../../src/core/eval/scorers/types';
import { makeEvalWorkspace, metricsOf, paramsOf, tagsOf, type EvalWorkspace } from './evalWorkspace';

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 20 };

describe('eval runner (fake LLM server, embedded store)', function () {
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  beforeEach(async () => {
    server = await startFakeLlmServer();
    ws = await makeEvalWorkspace();
  });
  afterEach(async () => {
    await server.stop();
    await ws.cleanup();
  });

  const openAiSuite = (extra = '') => ws.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    apiKeyEnv: FAKE_KEY
    params: { max_tokens: 50 }
scorers:
  - type: equals
  - type: levenshtein
    threshold: 0
thresholds:
  pass_rate: 0.9
${extra}`);
  const run = (suite: ReturnType<EvalWorkspace['suite']>, more: Partial<Parameters<typeof runSuite>[1]> = {}) =>
    runSuite(suite, { store: ws.store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, providerCtx: { env: { FAKE_KEY: 'sk-test-123' }, retry: FAST_RETRY }, ...more });

  it('OpenAI format: scores, metrics, params, tags and artifacts are recorded', async () => {
    const progress: EvalProgress[] = [];
    const res = await run(openAiSuite(), { onProgress: (p) => progress.push(p) });
    assert.equal(res.status, 'FINISHED');
    assert.equal(res.passed, true);
    assert.equal(server.requests.length, 6);
    assert.equal((server.requests[0].body as { temperature: number }).temperature, 0.3, 'prompt file params are sent');
    assert.equal(progress.at(-1)!.done, 6);
    assert.equal(progress.at(-1)!.passRate, 1);

    const r = await ws.store.getRun(res.runs[0].runId);
    assert.equal(r.info.status, 'FINISHED');
    const m = metricsOf(r);
    for (const k of ['pass_rate', 'equals/mean', 'levenshtein/mean', 'latency_ms/p50', 'latency_ms/p95', 'latency_ms/max', 'tokens/input_total', 'tokens/output_total', 'cost_usd/total', 'cache_hit_rate', 'error_count']) {
      assert.ok(k in m, `metric ${k}`);
    }
    assert.equal(m.pass_rate, 1);
    assert.ok(m['tokens/input_total'] > 0 && m['cost_usd/total'] > 0);
    const p = paramsOf(r);
    assert.equal(p.prompt_name, 'shout');
    assert.equal(p.prompt_path, 'p.prompty');
    assert.match(p.prompt_hash, /^[0-9a-f]{64}$/);
    assert.equal(p.model, 'openai:gpt-4o-mini');
    assert.equal(p.temperature, '0.3');
    assert.equal(p.max_tokens, '50');
    assert.equal(p.dataset_path, 'cases.jsonl');
    assert.match(p.dataset_hash, /^[0-9a-f]{64}$/);
    assert.equal(p.scorers, 'equals,levenshtein');
    assert.equal(p['threshold.pass_rate'], '0.9');
    const t = tagsOf(r);
    assert.equal(t['mlflow.source.type'], 'LOCAL');
    assert.equal(t['mlflow.source.name'], 'shout.eval.yaml');
    assert.equal(t['mlflow.runName'], 'shout · openai:gpt-4o-mini');
    assert.equal(t['promptledger.promptHash'], p.prompt_hash);
    assert.equal(t['promptledger.passed'], 'true');
    assert.deepEqual(JSON.parse(t['mlflow.loggedArtifacts']), [{ path: 'eval_results_table.json', type: 'table' }]);
    assert.ok(t['mlflow.user']);
    const all = JSON.stringify(r.data);
    assert.doesNotMatch(all, /sk-test-123/, 'the API key never lands in the run');

    const files = (await ws.store.listArtifacts(res.runs[0].runId)).map((f) => f.path).sort();
    assert.deepEqual(files, ['dataset', 'eval_results_table.json', 'inputs', 'prompt', 'summary.json', 'traces']);
    // The embedded store keeps the run's dataset input (what runs/log-inputs records on a server) beside its traces.
    assert.equal(JSON.parse(Buffer.from(await ws.store.downloadArtifact(res.runs[0].runId, 'inputs/datasets.json')).toString('utf8')).length, 1);
    const table = JSON.parse(Buffer.from(await ws.store.downloadArtifact(res.runs[0].runId, 'eval_results_table.json')).toString('utf8'));
    assert.deepEqual(table.columns.slice(0, 5), ['case_id', 'repeat', 'inputs', 'expected', 'outputs']);
    assert.ok(table.columns.includes('equals/score') && table.columns.includes('levenshtein/justification'));
    assert.equal(table.data.length, 6);
    assert.deepEqual(table.data[0].slice(0, 5), ['c0', 0, { word: 'alpha' }, 'alpha', 'alpha']);
    const prompt = Buffer.from(await ws.store.downloadArtifact(res.runs[0].runId, 'prompt/p.prompty')).toString('utf8');
    assert.match(prompt, /\{\{ word \}\}/);
    assert.ok((await ws.store.downloadArtifact(res.runs[0].runId, 'dataset/cases.jsonl')).length > 0);
  });

  it('Anthropic format', async () => {
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: anthropic
    model: claude-3-5-haiku-latest
    baseUrl: ${server.url}
    apiKeyEnv: FAKE_KEY
scorers:
  - type: equals
`);
    const res = await run(suite);
    assert.equal(res.status, 'FINISHED');
    assert.equal(res.runs[0].metrics.pass_rate, 1);
    assert.equal(server.requests[0].format, 'anthropic');
    assert.equal((server.requests[0].body as { system?: string }).system, 'Repeat the word.');
  });

  it('429 with Retry-After is retried; persistent 5xx and malformed bodies become per-case errors', async () => {
    server.setBehavior(behaviors.rateLimitedThen(2, { 'retry-after-ms': '5' }));
    let res = await run(openAiSuite());
    assert.equal(res.runs[0].metrics.pass_rate, 1);
    assert.equal(res.runs[0].metrics.error_count, 0);
    assert.equal(server.requests.length, 8);

    server.setBehavior(({ prompt }) => (prompt === 'beta' ? { type: 'error', status: 503 } : prompt === 'gamma' ? { type: 'malformed' } : { type: 'reply', text: prompt }));
    res = await run(openAiSuite(), { noCache: true, providerCtx: { env: { FAKE_KEY: 'k' }, retry: { maxRetries: 1, ...FAST_RETRY } } });
    const byId = new Map(res.runs[0].rows.map((r) => [r.caseId, r]));
    assert.equal(byId.get('c1')!.error!.kind, 'server');
    assert.equal(byId.get('c2')!.error!.kind, 'bad_response');
    assert.equal(res.runs[0].metrics.error_count, 2);
    assert.equal(res.runs[0].status, 'FINISHED');
    assert.equal(res.passed, false, 'pass_rate 4/6 is below 0.9');
    const table = JSON.parse(Buffer.from(await ws.store.downloadArtifact(res.runs[0].runId, 'eval_results_table.json')).toString('utf8'));
    const errCol = table.columns.indexOf('error');
    assert.match(table.data[1][errCol], /^server: /);
  });

  it('a missing variable is refused before any call; with noValidate it fails that case only', async () => {
    const fs = await import('node:fs');
    fs.appendFileSync(`${ws.dir}/cases.jsonl`, '{"id": "novar", "vars": {"other": 1}}\n');
    const before = server.requests.length;
    await assert.rejects(run(openAiSuite()), /cases\.jsonl:7:1: error: case novar: no value for `word`/);
    assert.equal(server.requests.length, before, 'validation refuses before spending');
    const res = await run(openAiSuite(), { noValidate: true });
    const row = res.runs[0].rows.find((r) => r.caseId === 'novar')!;
    assert.equal(row.error!.kind, 'render');
    assert.match(row.error!.message, /word/);
    assert.equal(res.runs[0].rows.length, 7);
  });

  it('an auth error stops the run as FAILED instead of failing every case', async () => {
    await server.stop();
    server = await startFakeLlmServer({ requireApiKey: 'right' });
    const res = await run(openAiSuite(), { providerCtx: { env: { FAKE_KEY: 'wrong' }, retry: FAST_RETRY }, concurrency: 1 });
    assert.equal(res.status, 'FAILED');
    assert.equal(res.runs[0].status, 'FAILED');
    assert.match(res.runs[0].error!, /401|auth|key/i);
    assert.ok(server.requests.length < 6);
    assert.equal((await ws.store.getRun(res.runs[0].runId)).info.status, 'FAILED');
  });

  it('replays from the cache: the second run makes no requests', async () => {
    const first = await run(openAiSuite());
    assert.equal(first.runs[0].metrics.cache_hit_rate, 0);
    const before = server.requests.length;
    const second = await run(openAiSuite());
    assert.equal(server.requests.length, before);
    assert.equal(second.runs[0].metrics.cache_hit_rate, 1);
    assert.deepEqual(second.runs[0].rows.map((r) => r.output).sort(), first.runs[0].rows.map((r) => r.output).sort());
    const none = await run(openAiSuite(), { noCache: true });
    assert.equal(server.requests.length, before + 6);
    assert.equal(none.runs[0].metrics.cache_hit_rate, 0);
    // and the editor's "compare with previous" finds the run before
    const cmp = await compareWithPrevious(ws.store, none.runs[0].runId);
    assert.equal(cmp.previous?.info.runId, second.runs[0].runId);
    assert.equal(none.runs[0].previousRunId, second.runs[0].runId);
  });

  it('cancellation aborts in-flight requests and ends the run KILLED with partial results', async () => {
    const ws2 = ws;
    await server.stop();
    server = await startFakeLlmServer({ behavior: ({ req }) => (req.seq < 4 ? { type: 'reply', text: 'x' } : { type: 'hang' }) });
    const suite = ws2.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    apiKeyEnv: FAKE_KEY
scorers:
  - type: contains
    value: x
`);
    const fs = await import('node:fs');
    fs.writeFileSync(`${ws2.dir}/cases.jsonl`, Array.from({ length: 40 }, (_, i) => JSON.stringify({ vars: { word: `w${i}` } })).join('\n'));
    const ac = new AbortController();
    const hung = server.waitForRequest((r) => r.seq >= 5);
    const pending = run(suite, { signal: ac.signal, concurrency: 2, noCache: true });
    await hung;
    ac.abort();
    const res = await pending;
    assert.equal(res.status, 'KILLED');
    assert.equal(res.cancelled, true);
    assert.equal(res.runs[0].status, 'KILLED');
    assert.equal(res.runs[0].rows.length, 4, 'only the answered cases count');
    assert.ok(server.requests.length < 40);
    const r = await ws2.store.getRun(res.runs[0].runId);
    assert.equal(r.info.status, 'KILLED');
    assert.equal(metricsOf(r).case_count, 4);
    const table = JSON.parse(Buffer.from(await ws2.store.downloadArtifact(res.runs[0].runId, 'eval_results_table.json')).toString('utf8'));
    assert.equal(table.data.length, 4);
  });

  it('several models: a parent run with one child per model; repeats give pass@k', async () => {
    server.setBehavior(({ req, prompt }) => ({ type: 'reply', text: req.seq % 2 === 0 ? prompt : 'nope' }));
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: echo
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    apiKeyEnv: FAKE_KEY
scorers:
  - type: contains
    value: "{{word}}"
repeat: 2
concurrency: 1
`);
    const res = await run(suite, { noCache: true });
    assert.ok(res.parentRunId);
    assert.equal(res.runs.length, 2);
    for (const child of res.runs) {
      const r = await ws.store.getRun(child.runId);
      assert.equal(tagsOf(r)['mlflow.parentRunId'], res.parentRunId);
      assert.equal(child.rows.length, 12);
    }
    assert.equal(res.runs[0].metrics.pass_at_1, 1);
    const oa = res.runs[1].metrics;
    assert.equal(oa.pass_rate, 0.5);
    assert.equal(oa.pass_at_1, 0.5);
    assert.equal(oa.pass_at_2, 1);
    assert.equal((await ws.store.getRun(res.parentRunId!)).info.status, 'FINISHED');
  });

  it('the command provider runs a real program; untrusted workspaces refuse it before any run', async () => {
    const script = 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(s.toUpperCase()))';
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: command
    command: ${JSON.stringify(process.execPath)}
    args: ["-e", ${JSON.stringify(script)}]
scorers:
  - type: contains
    value: "{{word}}"
  - type: javascript
    value: output === output.toUpperCase()
`);
    await assert.rejects(run(suite, { trusted: false }), UntrustedWorkspaceError);
    const exp = await ws.store.getExperimentByName('shout');
    assert.equal(exp, undefined, 'nothing was recorded');
    const res = await run(suite);
    assert.equal(res.runs[0].metrics['javascript/mean'], 1);
    assert.equal(res.runs[0].metrics['contains/mean'], 0, 'the output is upper-cased');
    // Rows finish in any order under concurrency: look the case up by its output.
    const outputs = res.runs[0].rows.map((r) => r.output);
    assert.ok(outputs.includes('SYSTEM:\nREPEAT THE WORD.\n\nUSER:\nALPHA'), `the rendered text went in on stdin: ${JSON.stringify(outputs)}`);
  });
});
