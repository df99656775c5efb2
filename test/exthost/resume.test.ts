import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SuiteResult } from '../../src/core/eval/runner';
import type { RunsNode } from '../../src/extension/runs/runsTree';
import { startFakeLlmServer, type FakeLlmServer } from '../helpers/fakeLlmServer';
import { services, WS, waitFor } from './evalHelpers';

type RunNode = Extract<RunsNode, { kind: 'run' }>;
const CASES = 40;

describe('Resume Run (Runs view)', () => {
  let fake: FakeLlmServer;
  let hang = false;
  const dir = path.join(WS, 'resume-demo');
  before(async () => {
    await services();
    fake = await startFakeLlmServer({ behavior: async ({ prompt }) => (hang ? { type: 'hang' } : { type: 'reply', text: prompt, latencyMs: 2 }) });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: resume-demo\ninputs:\n  word:\n    type: string\n---\nuser:\n{{ word }}\n');
    fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { word: `w${i}` }, expected: `w${i}` })).join('\n'));
    fs.writeFileSync(path.join(dir, 'resume.eval.yaml'), `prompt: p.prompty\ndataset: cases.jsonl\nexperiment: resume-demo\nconcurrency: 2\nmodels:\n  - provider: openai\n    model: gpt-4o-mini\n    baseUrl: ${fake.url}/v1\n    noAuth: true\nscorers:\n  - type: equals\n`);
  });
  after(async () => {
    await fake?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cancel a run, then Resume Run from the Runs view: same run, recorded cases not sent again', async () => {
    const s = await services();
    // Cancel mid-run: after 10 answers the fake stops answering, then Cancel Running Eval.
    fake.setBehavior(async ({ prompt, req }) => (hang || req.seq >= 10 ? { type: 'hang' } : { type: 'reply', text: prompt, latencyMs: 2 }));
    const pending = vscode.commands.executeCommand<SuiteResult>('promptLedger.runEval', vscode.Uri.file(path.join(dir, 'resume.eval.yaml')));
    await waitFor(() => fake.requests.length >= 12, 'the run to reach the hanging requests');
    assert.equal(await vscode.commands.executeCommand<number>('promptLedger.cancelEval'), 1);
    const cancelled = await pending;
    assert.equal(cancelled.status, 'KILLED');
    const runId = cancelled.runs[0].runId;
    assert.equal(cancelled.runs[0].rows.length, 10);

    // The Runs view offers Resume Run on it and shows how far it got.
    s.runsTree.refresh();
    const exp = (await s.runsTree.getChildren()).find((n) => n.kind === 'experiment' && n.experiment.name === 'resume-demo');
    assert.ok(exp);
    const node = (await s.runsTree.getChildren(exp)).find((n): n is RunNode => n.kind === 'run' && n.run.info.runId === runId);
    assert.ok(node, 'cancelled run listed');
    const item = s.runsTree.getTreeItem(node);
    assert.match(String(item.contextValue), /\.resumable/);
    assert.match(String(item.description), new RegExp(`cancelled · 10/${CASES} cases`));

    // Resume Run (the context-menu command with the tree node).
    const servedBefore = fake.requests.filter((r) => r.respondedAt !== undefined && !r.clientClosedEarly).length;
    fake.setBehavior(async ({ prompt }) => ({ type: 'reply', text: prompt, latencyMs: 2 }));
    const resumed = await vscode.commands.executeCommand<SuiteResult>('promptLedger.resumeRun', node);
    assert.ok(resumed, 'resume result');
    assert.equal(resumed.runs[0].runId, runId, 'same run id');
    assert.equal(resumed.status, 'FINISHED');
    assert.equal(resumed.resumed?.alreadyDone, 10);
    assert.equal(resumed.runs[0].rows.length, CASES);
    const served = fake.requests.filter((r) => r.respondedAt !== undefined && !r.clientClosedEarly);
    assert.equal(served.length - servedBefore, CASES - 10, 'only unrecorded cases are sent');
    const words = served.map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)!.content);
    assert.equal(new Set(words).size, CASES, 'each case served exactly once across both');

    const store = await s.tracking.getStore();
    const run = await store.getRun(runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.data.metrics.find((m) => m.key === 'case_count')?.value, CASES);
    assert.equal(run.data.metrics.find((m) => m.key === 'pass_rate')?.value, 1);
  });
});
