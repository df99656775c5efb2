// A resume and the dataset check: a run checked when it began is not checked again (its prompt,
// dataset and suite hash equal), and its estimate prices the pending rows from the token counts
// saved beside its journal; a run begun with --no-validate is checked when it is resumed.
// Against the loopback fake and the embedded store.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runSuite } from '../../../src/core/eval/runner';
import { caseJournalPath } from '../../../src/core/eval/caseJournal';
import { DatasetValidationError } from '../../../src/core/eval/validation/validateSuite';
import { makeEvalWorkspace, type EvalWorkspace } from './evalWorkspace';

const CASES = 40;

describe('resume and the dataset check (fake LLM server, embedded store)', function () {
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  before(async () => {
    server = await startFakeLlmServer();
    ws = await makeEvalWorkspace({ cases: CASES });
  });
  after(async () => {
    await server.stop();
    await ws.cleanup();
  });

  const suiteText = (dataset: string, experiment: string) => `prompt: p.prompty
dataset: ${dataset}
experiment: ${experiment}
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    noAuth: true
concurrency: 2
scorers:
  - type: equals
`;
  const run = (suite: ReturnType<EvalWorkspace['suite']>, more: Partial<Parameters<typeof runSuite>[1]> = {}) =>
    runSuite(suite, { store: ws.store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, noCache: true, providerCtx: { env: {} }, ...more });

  /** A run cancelled once 10 cases are recorded: KILLED, resumable. */
  async function cancelledRun(suite: ReturnType<EvalWorkspace['suite']>, more: Partial<Parameters<typeof runSuite>[1]> = {}): Promise<{ runId: string; done: number }> {
    const ac = new AbortController();
    const res = await run(suite, { ...more, signal: ac.signal, onProgress: (p) => { if (p.done >= 10) ac.abort(); } });
    assert.equal(res.runs[0].status, 'KILLED');
    return { runId: res.runs[0].runId, done: res.runs[0].rows.length };
  }

  it('a run checked when it began is resumed without a second check: its estimate prices the pending rows from the counts saved then', async () => {
    const suite = ws.suite(suiteText('cases.jsonl', 'checked'), 'checked.eval.yaml');
    const { runId, done } = await cancelledRun(suite);
    const saved = path.join(path.dirname(caseJournalPath(ws.store, ws.dir, runId)), 'input-tokens.u32');
    assert.equal(fs.statSync(saved).size, CASES * 4, 'one count per case');
    // Counts no render gives: only the saved file can be where the estimate took them from.
    const doctored = Buffer.alloc(CASES * 4);
    for (let i = 0; i < CASES; i++) doctored.writeUInt32LE(1000, i * 4);
    fs.writeFileSync(saved, doctored);
    const planned = await run(suite, { resume: { mode: 'resume', runId }, dryRun: true });
    assert.equal(planned.estimate.calls, CASES - done);
    assert.equal(planned.estimate.inputTokens, 1000 * (CASES - done));

    // Without the saved counts the estimate renders the pending rows itself (a few tokens each).
    fs.rmSync(saved);
    const rendered = await run(suite, { resume: { mode: 'resume', runId }, dryRun: true });
    assert.equal(rendered.estimate.calls, CASES - done);
    assert.ok(rendered.estimate.inputTokens > 0 && rendered.estimate.inputTokens < 50 * (CASES - done), `input tokens ${rendered.estimate.inputTokens}`);

    const resumed = await run(suite, { resume: { mode: 'resume', runId } });
    assert.equal(resumed.runs[0].status, 'FINISHED');
    assert.equal(resumed.runs[0].rows.length, CASES);
  });

  it('a run begun with --no-validate is checked when it is resumed: errors refuse the resume, --no-validate again lets it go on', async () => {
    // The last row has no `expected`, which the equals scorer compares against: a check error.
    const lines = fs.readFileSync(path.join(ws.dir, 'cases.jsonl'), 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]) as { expected?: string };
    delete last.expected;
    lines[lines.length - 1] = JSON.stringify(last);
    fs.writeFileSync(path.join(ws.dir, 'unchecked.jsonl'), `${lines.join('\n')}\n`);
    const suite = ws.suite(suiteText('unchecked.jsonl', 'unchecked'), 'unchecked.eval.yaml');
    await assert.rejects(run(suite), DatasetValidationError, 'a fresh run is checked');

    const { runId } = await cancelledRun(suite, { noValidate: true });
    await assert.rejects(run(suite, { resume: { mode: 'resume', runId } }), (e: unknown) => {
      assert.ok(e instanceof DatasetValidationError);
      assert.match(e.message, /expected/);
      return true;
    });
    const resumed = await run(suite, { resume: { mode: 'resume', runId }, noValidate: true });
    assert.equal(resumed.runs[0].runId, runId);
    assert.equal(resumed.runs[0].status, 'FINISHED');
    assert.equal(resumed.runs[0].rows.length, CASES);
  });
});
