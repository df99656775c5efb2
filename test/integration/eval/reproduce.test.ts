// Reproduce Run through the CLI (in-process) on the embedded store, in a real git repository, against
// the loopback fake LLM whose answers change on every call: from the cache the new run's outputs
// and metrics are the original's and nothing is sent; fresh, the differences are reported; a
// missing commit or artifact is named with what is used instead.
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import type { TestRepo } from '../../helpers/gitRepo';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { TAGS } from '../../../src/core/eval/runContext';
import { metricsOf, paramsOf, tagsOf } from './evalWorkspace';
import {
  cliEval, cliReproduce, countingBehavior, makeReproduceRepo, PROMPT_V2, removeArtifact, runIdFrom, suiteYaml,
} from './reproduceWorkspace';

async function runOf(dir: string, runId: string) {
  const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  try {
    return await store.getRun(runId);
  } finally {
    await store.close();
  }
}

async function tableOf(dir: string, runId: string): Promise<unknown[][]> {
  const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  try {
    return JSON.parse(new TextDecoder().decode(await store.downloadArtifact(runId, 'eval_results_table.json'))).data;
  } finally {
    await store.close();
  }
}

describe('prompt-ledger reproduce (embedded store, real git repo)', function () {
  let fake: FakeLlmServer;
  let repo: TestRepo;
  let calls: () => number;
  beforeEach(async () => {
    const counting = countingBehavior();
    fake = await startFakeLlmServer({ behavior: counting.behavior });
    calls = counting.calls;
    repo = makeReproduceRepo(fake);
  });
  afterEach(async () => {
    await fake.stop();
    repo.cleanup();
  });

  it('from the cache: identical outputs and metrics, nothing sent, although prompt and suite changed since', async () => {
    const first = await cliEval(repo.dir, 'shout.eval.yaml');
    assert.equal(first.code, 0, first.stderr);
    const originalId = runIdFrom(first);
    // The working copy moves on: a new prompt version and a different temperature in the suite.
    repo.write('p.prompty', PROMPT_V2);
    repo.write('shout.eval.yaml', suiteYaml(fake, 0.9));
    repo.commit('v2: louder, hotter');
    const sent = calls();

    const r = await cliReproduce(repo.dir, originalId, '--offline');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(calls(), sent, 'nothing was sent to the model');
    assert.match(r.stdout, /identical outputs and metrics — 4\/4 cases identical; every answer from the response cache/);
    assert.match(r.stdout, /suite: git [0-9a-f]{7} · prompt: git [0-9a-f]{7} · dataset: run artifact dataset\/cases\.jsonl/);
    assert.match(r.stdout, /shout\.eval\.yaml changed since the run: using its text at the run's commit/);
    const newId = /Reproduced as run ([0-9a-f]{32})/.exec(r.stdout)![1];

    const [orig, repro] = await Promise.all([runOf(repo.dir, originalId), runOf(repo.dir, newId)]);
    assert.equal(tagsOf(repro)[TAGS.reproducedFrom], originalId);
    const po = paramsOf(orig);
    const pr = paramsOf(repro);
    for (const k of ['prompt_hash', 'git_commit', 'prompt_version', 'dataset_hash', 'temperature', 'model', 'scorers']) assert.equal(pr[k], po[k], k);
    const mo = metricsOf(orig);
    const mr = metricsOf(repro);
    for (const k of Object.keys(mo).filter((k) => k !== 'cache_hit_rate')) assert.equal(mr[k], mo[k], k);
    assert.equal(mr.cache_hit_rate, 1);
    const outputs = (rows: unknown[][]) => rows.map((row) => row[4]);
    assert.deepEqual(outputs(await tableOf(repo.dir, newId)), outputs(await tableOf(repo.dir, originalId)));
  });

  it('without the cache: runs fresh and reports what differs from the original', async () => {
    const originalId = runIdFrom(await cliEval(repo.dir, 'shout.eval.yaml'));
    const sent = calls();
    const r = await cliReproduce(repo.dir, originalId, '--fresh');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(calls(), sent + 4, 'every case was sent again');
    assert.match(r.stdout, /differs from the original — 0\/4 cases identical; 0\/4 answers from the cache, 4 sent to the model/);
    // The fake numbers its answers in the order calls reach it, which concurrent cases do not fix:
    // c0's first answer is one of the first run's four, its second one of the reproduction's.
    const c0 = /case c0: output differs\n {4}original: {3}alpha #(\d+)\n {4}reproduced: alpha #(\d+)/.exec(r.stdout);
    assert.ok(c0, r.stdout);
    assert.ok(Number(c0[1]) <= 4 && Number(c0[2]) > 4 && Number(c0[2]) <= 8, c0[0]);
  });

  it('commit gone and dataset artifact missing: says so and uses the prompt artifact and the working dataset', async () => {
    const originalId = runIdFrom(await cliEval(repo.dir, 'shout.eval.yaml'));
    const runCommit = paramsOf(await runOf(repo.dir, originalId)).git_commit;
    // History rewritten: the run's commit is amended away and pruned.
    repo.git('commit', '--amend', '-q', '-m', 'v1, reworded');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
    removeArtifact(repo.dir, originalId, 'dataset/cases.jsonl');

    const r = await cliReproduce(repo.dir, originalId, '--offline');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`note: Prompt: commit ${runCommit.slice(0, 7)} is not in this repository \\(rebased away, or a shallow clone\\)\\. Using the run artifact prompt/p\\.prompty, which has the run's content hash\\.`));
    assert.match(r.stdout, /note: Dataset: the run has no dataset\/cases\.jsonl artifact, and commit [0-9a-f]{7} is not in this repository \(rebased away, or a shallow clone\); using the suite's current dataset, which has the run's hash\./);
    assert.match(r.stdout, /identical outputs and metrics/);
  });

  it('refuses what cannot be reproduced, naming it', async () => {
    const originalId = runIdFrom(await cliEval(repo.dir, 'shout.eval.yaml'));
    repo.write('shout.eval.yaml', suiteYaml(fake).replace('model: gpt-4o-mini', 'model: gpt-4.1'));
    repo.commit('switch model');
    // The suite at the run's commit still has the model: reproduced from there.
    assert.equal((await cliReproduce(repo.dir, originalId, '--offline')).code, 0);
    // An unknown run id and a malformed one are bad input.
    const missing = await cliReproduce(repo.dir, 'f'.repeat(32));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run f{32} in /);
    const bad = await cliReproduce(repo.dir, 'not-a-run');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /name one run id \(32 hex digits/);
  });
});
