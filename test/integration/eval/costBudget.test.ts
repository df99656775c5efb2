// Cost before spending: the estimate from the rendered prompts and the price table, --dry-run
// (nothing sent, no run created), confirmCost declining, and the budget stopping a run cleanly
// (KILLED, reason budget, spend within it, resumable) — against the loopback fake and the embedded store.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runSuite } from '../../../src/core/eval/runner';
import { estimateMessageTokens } from '../../../src/core/providers/tokenEstimate';
import { evalCommand } from '../../../src/cli/evalCommand';
import { TAGS } from '../../../src/core/eval/runContext';
import { makeEvalWorkspace, tagsOf, type EvalWorkspace } from './evalWorkspace';

const CASES = 120;
// gpt-4o-mini: $0.15 / $0.60 per 1M tokens; every call is estimated at max_tokens = 400 output.
const PER_M = { input: 0.15, output: 0.6 };

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('eval cost preflight and budget (fake LLM server, embedded store)', function () {
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  before(async () => {
    // Answers bill the max_tokens the estimate assumes, so the estimate is what a call costs.
    server = await startFakeLlmServer({ behavior: ({ prompt }) => ({ type: 'reply', text: prompt, usage: { input: 20, output: 400 } }) });
    ws = await makeEvalWorkspace({ cases: CASES });
  });
  after(async () => {
    await server.stop();
    await ws.cleanup();
  });
  beforeEach(() => server.requests.splice(0));

  const suiteText = (extra = '') => `prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    noAuth: true
    params: { max_tokens: 400 }
concurrency: 8
scorers:
  - type: equals
${extra}`;
  const run = (suite: ReturnType<EvalWorkspace['suite']>, more: Partial<Parameters<typeof runSuite>[1]> = {}) =>
    runSuite(suite, { store: ws.store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, noCache: true, providerCtx: { env: {} }, ...more });

  it('dry run: calls, tokens and cost from the rendered prompts; no request, no run', async () => {
    const res = await run(ws.suite(suiteText(), 'dry.eval.yaml'), { dryRun: true });
    assert.equal(res.dryRun, true);
    assert.equal(res.runs.length, 0);
    assert.equal(server.requests.length, 0, 'nothing is sent');
    assert.equal(await ws.store.getExperimentByName('dry'), undefined, 'no experiment or run is created');
    const e = res.estimate;
    assert.equal(e.calls, CASES);
    // The first case renders to the system and user messages of p.prompty with word "alpha".
    const first = estimateMessageTokens([{ role: 'system', content: 'Repeat the word.' }, { role: 'user', content: 'alpha' }]);
    assert.ok(e.inputTokens >= CASES * first && e.inputTokens < CASES * (first + 3), `input tokens ${e.inputTokens}`);
    assert.equal(e.outputTokens, CASES * 400);
    assert.ok(Math.abs(e.costUsd - (e.inputTokens * PER_M.input + e.outputTokens * PER_M.output) / 1e6) < 1e-12);
  });

  it('the estimate is the same from the dataset check\'s token counts as from rendering each case (--no-validate)', async () => {
    const checked = await run(ws.suite(suiteText(), 'dry-checked.eval.yaml'), { dryRun: true });
    const rendered = await run(ws.suite(suiteText(), 'dry-rendered.eval.yaml'), { dryRun: true, noValidate: true });
    assert.ok(checked.estimate.inputTokens > 0);
    assert.deepEqual(
      { calls: checked.estimate.calls, inputTokens: checked.estimate.inputTokens, outputTokens: checked.estimate.outputTokens, costUsd: checked.estimate.costUsd },
      { calls: rendered.estimate.calls, inputTokens: rendered.estimate.inputTokens, outputTokens: rendered.estimate.outputTokens, costUsd: rendered.estimate.costUsd },
    );
  });

  it('confirmCost false runs nothing', async () => {
    let asked = 0;
    const res = await run(ws.suite(suiteText(), 'declined.eval.yaml'), { confirmCost: () => { asked++; return false; } });
    assert.equal(asked, 1);
    assert.equal(res.declined, true);
    assert.equal(server.requests.length, 0);
    assert.equal(await ws.store.getExperimentByName('declined'), undefined);
  });

  it('the suite budget stops the run before it is exceeded: KILLED, reason budget, resumable', async () => {
    const full = (await run(ws.suite(suiteText(), 'estimate.eval.yaml'), { dryRun: true })).estimate.costUsd;
    const maxUsd = full * 0.3;
    const suite = ws.suite(suiteText(`budget: { max_cost_usd: ${maxUsd} }\nexperiment: budget\n`), 'budget.eval.yaml');
    const res = await run(suite);
    assert.equal(res.stopReason, 'budget');
    assert.equal(res.status, 'KILLED');
    assert.equal(res.cancelled, false);
    const [r] = res.runs;
    assert.equal(r.status, 'KILLED');
    assert.equal(r.stopReason, 'budget');
    const spent = r.rows.reduce((a, x) => a + (x.costUsd ?? 0), 0);
    assert.ok(spent <= maxUsd, `spent ${spent} ≤ budget ${maxUsd}`);
    assert.ok(Math.abs(res.budget!.spentUsd - spent) < 1e-12, 'the budget counted what the rows cost');
    assert.ok(r.rows.length > 0 && r.rows.length < CASES, `${r.rows.length} rows recorded`);
    assert.equal(server.requests.length, r.rows.length, 'every call sent was recorded (in-flight calls finish)');
    const stored = await ws.store.getRun(r.runId);
    assert.equal(stored.info.status, 'KILLED');
    assert.equal(tagsOf(stored)[TAGS.stopReason], 'budget');

    // Resumable like any killed run; a resume has a budget of its own (here: none).
    server.requests.splice(0);
    const resumed = await run(suite, { resume: { mode: 'resume', runId: r.runId }, maxCostUsd: 1 });
    assert.equal(resumed.runs[0].runId, r.runId);
    assert.equal(resumed.runs[0].status, 'FINISHED');
    assert.equal(resumed.estimate.calls, CASES - r.rows.length, 'the estimate covers only what is left');
    assert.equal(server.requests.length, CASES - r.rows.length, 'recorded cases are not sent again');
    assert.equal(resumed.runs[0].rows.length, CASES);
    assert.equal(tagsOf(await ws.store.getRun(r.runId))[TAGS.stopReason], 'completed');
  });

  it('CLI: --dry-run prints the estimate and sends nothing; --max-cost exits 3; a budget on an unpriced model is refused', async () => {
    ws.suite(suiteText('experiment: cli\n'), 'cli.eval.yaml');
    const out = capture();
    const err = capture();
    const io = { stdout: out.stream, stderr: err.stream, cwd: ws.dir, env: {}, isTty: false };
    assert.equal(await evalCommand(['cli.eval.yaml', '--dry-run'], io), 0, err.text());
    assert.match(out.text(), /Dry run \(nothing sent\) · cli\.eval\.yaml · openai:gpt-4o-mini: 120 calls · ~\d[\d,]* input \+ ~48k output tokens · ~\$0\.03/);
    assert.equal(server.requests.length, 0);

    assert.equal(await evalCommand(['cli.eval.yaml', '--no-cache', '--max-cost', '0.005'], io), 3, err.text());
    assert.match(out.text(), /Estimate · cli\.eval\.yaml/);
    assert.match(out.text(), /Stopped by the budget: \$0\.00\d+ spent of \$0\.005.*--resume [0-9a-f]{32}/);
    assert.ok(server.requests.length > 0 && server.requests.length < CASES);

    ws.suite(suiteText('experiment: cli\n').replace('gpt-4o-mini', 'my-local-model'), 'unpriced.eval.yaml');
    assert.equal(await evalCommand(['unpriced.eval.yaml', '--max-cost', '1'], io), 2);
    assert.match(err.text(), /needs a price for every model, and openai:my-local-model has none/);
  });
});
