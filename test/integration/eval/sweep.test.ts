// Sweeps end to end on the embedded store: against the loopback fake LLM made to answer best at
// temperature 0.7 / top_p 0.9, and a command-provider "RAG pipeline" that answers best at k = 6
// with the cross reranker. The sweep finds them, the optimizer (tpe) reaches them in fewer trials
// than the grid, trials are children of one parent, the best is tagged, constraints hold.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { parseSuite, type LoadedSuite } from '../../../src/core/eval/suiteLoader';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { runSweep, type RunSweepOptions, type SweepResult } from '../../../src/core/eval/sweep/sweepRunner';
import { SWEEP_PARENT_KIND, SWEEP_TAGS } from '../../../src/core/eval/sweep/sweepTags';
import { gridAssignments, assignmentKey } from '../../../src/core/eval/sweep/searchSpace';
import { planSweep } from '../../../src/core/eval/sweep/sweepPlan';
import { EvalSuiteError } from '../../../src/core/eval/diagnostics';
import { TAGS } from '../../../src/core/eval/runContext';
import { tagsOf, paramsOf } from './evalWorkspace';
import { PassThrough } from 'node:stream';
import YAML from 'yaml';
import { sweepCommand } from '../../../src/cli/sweepCommand';
import { runSuite } from '../../../src/core/eval/runner';

const CASES = 10;
const RAG = path.resolve(__dirname, '../../fixtures/sweep/ragPipeline.sh');
/** The rank the fakes read from the prompt's `#i/n` marker, so only the exact best answers every case. */
const rankOf = (prompt: string) => {
  const m = /#(\d+)\/(\d+)/.exec(prompt);
  return m ? (Number(m[1]) + 0.5) / Number(m[2]) : 0.5;
};

/** Trial number at which a sweep first reached `want` (undefined: never). */
function reachedAt(res: SweepResult, want: Record<string, unknown>): number | undefined {
  return res.report.trials.find((t) => Object.entries(want).every(([k, v]) => t.params[k] === v))?.number;
}

describe('sweeps (fake LLM server, command pipeline, embedded store)', function () {
  let server: FakeLlmServer;
  let dir: string;
  let store: TrackingStore;
  before(async () => {
    server = await startFakeLlmServer({ recordBodies: true, behavior: behaviors.bestAt({ temperature: 0.7, topP: 0.9 }, { rank: rankOf, wordsPerTemperature: 20 }) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-sweep-'));
    fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: say\n---\nSay {{ word }} #{{ i }}/{{ n }}\n');
    fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { word: `w${i}`, i, n: CASES } })).join('\n'));
    store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  });
  after(async () => {
    await store.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const suite = (name: string, yaml: string): LoadedSuite => {
    const file = path.join(dir, `${name}.eval.yaml`);
    fs.writeFileSync(file, yaml);
    return parseSuite(yaml, file);
  };
  const llmSuite = (name: string, sweep: string) => suite(name, `prompt: p.md
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    noAuth: true
scorers:
  - type: icontains
    value: "{{word}}"
concurrency: 8
sweep:
${sweep}`);
  const ragSuite = (name: string, sweep: string) => suite(name, `prompt: p.md
dataset: cases.jsonl
models:
  - provider: command
    command: sh
    args: [${JSON.stringify(RAG)}]
scorers:
  - type: icontains
    value: "{{word}}"
concurrency: 8
sweep:
${sweep}`);
  const sweep = (s: LoadedSuite, more: Partial<RunSweepOptions> = {}) =>
    runSweep(s, { store, workspaceRoot: dir, trusted: true, cacheDir: path.join(dir, 'cache'), providerCtx: { env: { ...process.env } }, ...more });

  const TEMP_SPACE = `  parameters:
    temperature: { min: 0, max: 1.5, step: 0.1 }
    top_p: { min: 0.5, max: 1, step: 0.1 }
`;

  let gridReach: number;
  it('grid over temperature × top_p finds the fake\'s best (0.7, 0.9); one parent run, a child per trial, the best tagged', async () => {
    const res = await sweep(llmSuite('tempgrid', `  method: grid\n${TEMP_SPACE}`));
    assert.equal(res.status, 'FINISHED');
    assert.equal(res.report.trials.length, 16 * 6);
    const best = res.report.trials.find((t) => t.number === res.report.best)!;
    assert.deepEqual(best.params, { temperature: 0.7, top_p: 0.9 });
    assert.equal(best.value, 1);
    gridReach = reachedAt(res, { temperature: 0.7, top_p: 0.9 })!;
    assert.equal(gridReach, 7 * 6 + 5, 'the grid varies top_p fastest, so it reaches (0.7, 0.9) at trial 47');
    // The values reached the wire as sampling params.
    const sent = server.requests.map((r) => r.body as { temperature?: number; top_p?: number });
    assert.ok(sent.some((b) => b.temperature === 0.7 && b.top_p === 0.9));

    const parent = await store.getRun(res.parentRunId!);
    const pt = tagsOf(parent);
    assert.equal(pt[TAGS.kind], SWEEP_PARENT_KIND);
    assert.equal(pt[SWEEP_TAGS.bestRunId], best.runId);
    assert.deepEqual(JSON.parse(pt[SWEEP_TAGS.bestParams]), { temperature: 0.7, top_p: 0.9 });
    assert.equal(parent.info.status, 'FINISHED');
    assert.ok(parent.data.metrics.some((m) => m.key === 'pass_rate' && m.value === 1), 'the parent carries the best trial\'s metrics');
    const children = await store.searchRuns({ experimentIds: [parent.info.experimentId], filter: `tags.mlflow.parentRunId = '${res.parentRunId}'`, maxResults: 200 });
    assert.equal(children.items.length, 96);
    const bestRun = await store.getRun(best.runId!);
    const bt = tagsOf(bestRun);
    assert.equal(bt[SWEEP_TAGS.best], 'true');
    assert.equal(bt[SWEEP_TAGS.trial], String(best.number));
    assert.equal(paramsOf(bestRun).temperature, '0.7', 'model parameters are the run\'s usual params');
    assert.equal(children.items.filter((r) => tagsOf(r)[SWEEP_TAGS.best] === 'true').length, 1, 'only the best trial is tagged');
  });

  it('tpe reaches (0.7, 0.9) in fewer trials than the grid, and the same seed proposes the same trials', async () => {
    const res = await sweep(llmSuite('temptpe', `  method: tpe\n  trials: 30\n  seed: 3\n${TEMP_SPACE}`));
    const at = reachedAt(res, { temperature: 0.7, top_p: 0.9 });
    assert.ok(at !== undefined, `tpe never reached the best: ${JSON.stringify(res.report.trials.map((t) => [t.params, t.value]))}`);
    assert.ok(at < gridReach, `tpe reached it at trial ${at}, the grid at ${gridReach}`);
    assert.deepEqual(res.report.trials.find((t) => t.number === res.report.best)!.params, { temperature: 0.7, top_p: 0.9 });
    // Determinism: the proposals up to the optimum again (cached answers, same results).
    const again = await sweep(llmSuite('temptpe', `  method: tpe\n  trials: ${at}\n  seed: 3\n${TEMP_SPACE}`));
    assert.deepEqual(again.report.trials.map((t) => t.params), res.report.trials.slice(0, at).map((t) => t.params));
  });

  it('a cost constraint excludes the best-quality trials: the best feasible one wins, the Pareto front spans the trade-off', async () => {
    // Longer answers at higher temperature cost more; cap cost below what temperature 0.7 costs.
    const probe = await sweep(llmSuite('costprobe', '  parameters:\n    temperature: [0.3, 0.7]\n'));
    const cost = (t: number) => probe.report.trials.find((x) => x.params.temperature === t)!.metrics['cost_usd/total'];
    assert.ok(cost(0.7) > cost(0.3));
    const cap = (cost(0.3) + cost(0.7)) / 2;
    const res = await sweep(llmSuite('costcap', `  parameters:\n    temperature: { min: 0, max: 1.5, step: 0.1 }\n  constraints:\n    - "cost_usd/total <= ${cap}"\n`));
    const best = res.report.trials.find((t) => t.number === res.report.best)!;
    assert.ok(best.feasible && best.metrics['cost_usd/total'] <= cap);
    assert.ok((best.params.temperature as number) < 0.7, `best feasible is below 0.7: ${best.params.temperature}`);
    const unconstrainedBest = res.report.trials.find((t) => t.params.temperature === 0.7)!;
    assert.equal(unconstrainedBest.feasible, false);
    assert.deepEqual(unconstrainedBest.violated, [`cost_usd/total <= ${cap}`]);
    assert.equal(res.report.costMetric, 'cost_usd/total');
    const front = res.report.pareto.map((n) => res.report.trials.find((t) => t.number === n)!);
    assert.ok(front.some((t) => t.params.temperature === 0.7), 'the quality optimum is on the front');
    for (let i = 1; i < front.length; i++) assert.ok(front[i].value! > front[i - 1].value! && front[i].metrics['cost_usd/total'] >= front[i - 1].metrics['cost_usd/total']);
  });

  const RAG_SPACE = `  parameters:
    reranker: { values: [none, bm25, cross], env: RERANKER }
    k: { min: 1, max: 20, int: true }
`;
  it('command provider: k and reranker reach the pipeline as environment variables; grid finds k = 6 with cross, tpe sooner', async () => {
    const grid = await sweep(ragSuite('raggrid', `  method: grid\n  trials: 46\n${RAG_SPACE}`));
    const best = grid.report.trials.find((t) => t.number === grid.report.best)!;
    assert.deepEqual(best.params, { k: 6, reranker: 'cross' });
    assert.equal(best.value, 1);
    assert.equal(grid.report.trials.filter((t) => t.value === 1).length, 1, 'only the exact best answers every case');
    assert.equal(paramsOf(await store.getRun(best.runId!))['sweep.k'], '6', 'command parameters are logged as sweep.<name> params');
    // Where the full grid reaches it, by the grid's own enumeration (reranker outer, k inner).
    const plan = planSweep(ragSuite('raggrid', `  method: grid\n${RAG_SPACE}`));
    const gridAt = [...gridAssignments(plan.dims)].findIndex((a) => assignmentKey(a) === assignmentKey({ k: 6, reranker: 'cross' })) + 1;
    assert.equal(gridAt, 46);
    assert.equal(reachedAt(grid, { k: 6, reranker: 'cross' }), gridAt);

    const tpe = await sweep(ragSuite('ragtpe', `  method: tpe\n  trials: 30\n  seed: 1\n${RAG_SPACE}`));
    const at = reachedAt(tpe, { k: 6, reranker: 'cross' });
    assert.ok(at !== undefined && at < gridAt, `tpe reached k=6/cross at ${at}, the grid at ${gridAt}: ${JSON.stringify(tpe.report.trials.map((t) => [t.params, t.value]))}`);
  });

  it('swept environment values are part of the cache key: another k is never served a cached answer', async () => {
    const s = ragSuite('ragcache', '  parameters:\n    k: [6, 1]\n');
    await sweep(s);
    const res = await sweep(s);
    const byK = (k: number) => res.report.trials.find((t) => t.params.k === k)!;
    assert.equal(byK(6).value, 1);
    assert.equal(byK(1).value, 0.5, 'k = 1 keeps its own (worse) answers');
    assert.equal(byK(1).metrics.cache_hit_rate, 1, 'and a rerun of the same k is served from the cache');
  });

  it('CLI: prints the best configuration as YAML that, pasted over `models:`, runs the best trial again', async () => {
    const s = llmSuite('cli', '  method: random\n  trials: 12\n  seed: 2\n  parameters:\n    temperature: [0.1, 0.4, 0.7, 1.0, 1.3]\n    top_p: [0.9]\n');
    let stdout = '';
    let stderr = '';
    const out = new PassThrough().on('data', (c) => { stdout += c; });
    const err = new PassThrough().on('data', (c) => { stderr += c; });
    const code = await sweepCommand([s.filePath, '--tracking-uri', path.join(dir, '.promptledger')], { stdout: out, stderr: err, cwd: dir, env: { ...process.env }, isTty: false });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /sweep random, 5 trials over temperature, top_p; maximize pass_rate/, 'a discrete space of 5 points runs 5 trials, not 12');
    assert.match(stderr, /trial \d\/5 {2}temperature=0.7 top_p=0.9 {2}→ 1/);
    assert.match(stdout, /^# best of 5 trials \(random, seed 2\): pass_rate = 1 \(maximize\)/);
    const pasted = YAML.parse(stdout) as { models: unknown[] };
    assert.equal((pasted.models[0] as { params: { temperature: number } }).params.temperature, 0.7);
    const text = fs.readFileSync(s.filePath, 'utf8').replace(/models:[\s\S]*?scorers:/, `${YAML.stringify(pasted).trimEnd()}\nscorers:`).replace(/sweep:[\s\S]*$/, '');
    const rerun = await runSuite(suite('pasted', text), { store, workspaceRoot: dir, trusted: true, cacheDir: path.join(dir, 'cache'), providerCtx: { env: {} } });
    assert.equal(rerun.runs[0].metrics.pass_rate, 1);
  });

  it('bad sweeps are refused at their line before any run: an unknown model parameter, a value the model rejects', async () => {
    const before = (await store.searchExperiments()).items.length;
    const bad = llmSuite('bad1', '  parameters:\n    k: [1, 2]\n');
    await assert.rejects(sweep(bad), (e: unknown) => {
      assert.ok(e instanceof EvalSuiteError);
      const d = e.diagnostics[0];
      assert.equal(d.line, 14);
      assert.match(d.message, /`k` is not a model parameter of openai/);
      assert.match(d.hint!, /command provider/);
      return true;
    });
    const tooHigh = llmSuite('bad2', '  parameters:\n    top_p: [0.5, 1.5]\n');
    await assert.rejects(sweep(tooHigh), /top_p` = 1.5/);
    assert.equal((await store.searchExperiments()).items.length, before, 'nothing was created');
  });
});
