// Reproduce Run against a real MLflow server: the run's artifacts and params come back over REST, the
// replay from the cache is identical, and with the run's commit gone the prompt comes from the
// registered version it links (promptledger.source), checked against the run's content hash.
import assert from 'node:assert/strict';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import type { TestRepo } from '../../helpers/gitRepo';
import { openTrackingStore } from '../../../src/core/tracking/trackingUri';
import { registerPromptVersion } from '../../../src/core/registry/promptRegistry';
import { registerInputFromFile } from '../../../src/core/registry/promptFileRegistration';
import { TAGS } from '../../../src/core/eval/runContext';
import { metricsOf, tagsOf } from './evalWorkspace';
import { cliEval, cliReproduce, countingBehavior, makeReproduceRepo, PROMPT_V1, runIdFrom } from './reproduceWorkspace';

describe('prompt-ledger reproduce (real MLflow server)', function () {
  let server: MlflowServer;
  let fake: FakeLlmServer;
  let repo: TestRepo;
  let calls: () => number;
  before(async () => {
    server = await startMlflowServer();
    const counting = countingBehavior();
    fake = await startFakeLlmServer({ behavior: counting.behavior });
    calls = counting.calls;
    repo = makeReproduceRepo(fake);
  });
  after(async () => {
    await fake?.stop();
    repo?.cleanup();
    await server?.stop();
  });

  it('replays a server run identically from the cache; with its commit gone, from the registered version', async () => {
    const store = await openTrackingStore({ kind: 'mlflow', url: server.url, source: 'setting' });
    try {
      await registerPromptVersion(store, registerInputFromFile(PROMPT_V1, 'p.prompty', { commit: repo.head() }));
    } finally {
      await store.close();
    }
    const first = await cliEval(repo.dir, 'shout.eval.yaml', '--tracking-uri', server.url);
    assert.equal(first.code, 0, first.stderr);
    const originalId = runIdFrom(first);
    const sent = calls();

    const r = await cliReproduce(repo.dir, originalId, '--offline', '--tracking-uri', server.url);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /identical outputs and metrics — 4\/4 cases identical/);

    repo.git('commit', '--amend', '-q', '-m', 'v1, reworded');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
    const again = await cliReproduce(repo.dir, originalId, '--offline', '--tracking-uri', server.url, '--output', 'json');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const report = JSON.parse(again.stdout);
    assert.equal(report.identical, true);
    assert.equal(report.sources.prompt, 'registered prompt shout v1');
    assert.match(report.notes.join('\n'), /Prompt: commit [0-9a-f]{7} is not in this repository .*Using the registered prompt shout v1, which has the run's content hash\./);
    assert.equal(calls(), sent, 'nothing was sent');

    const check = await openTrackingStore({ kind: 'mlflow', url: server.url, source: 'setting' });
    try {
      const [orig, repro] = await Promise.all([check.getRun(originalId), check.getRun(report.reproduced)]);
      assert.equal(tagsOf(repro)[TAGS.reproducedFrom], originalId);
      const mo = metricsOf(orig);
      const mr = metricsOf(repro);
      for (const k of Object.keys(mo).filter((k) => k !== 'cache_hit_rate')) assert.equal(mr[k], mo[k], k);
    } finally {
      await check.close();
    }
  });
});
