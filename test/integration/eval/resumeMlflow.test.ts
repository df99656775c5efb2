// The resume fault test with a real MLflow server as the backend: the case journal is kept in the
// workspace (.promptledger/case-journals/) until the run's results are delivered to the server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { cleanRun, faultTrial, root, seeded, type TrialOutcome } from './resumeFaultHarness';

const CASES = 2000;
const TRIALS = 4;
const SEED = Number(process.env.PL_FAULT_SEED ?? Date.now() % 100000);

describe(`resume after SIGKILL, MLflow server backend (${TRIALS} trials × ${CASES} cases, seed ${SEED})`, function () {
  let server: MlflowServer;
  let clean: { metrics: Record<string, number>; ms: number };
  const outcomes: TrialOutcome[] = [];
  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
    server = await startMlflowServer();
  });
  after(async () => {
    if (outcomes.length) console.log(`      clean run ${clean.ms} ms; trials: ${outcomes.map((o) => `${o.mode} killed@${o.recordedBeforeKill} resent=${o.resent} resume=${o.resumeMs}ms`).join(', ')}`);
    await server?.stop();
  });

  it('clean run', async () => {
    clean = await cleanRun(CASES, server.url, 'shout-clean');
    assert.equal(clean.metrics.case_count, CASES);
  });
  const rng = seeded(SEED);
  for (let t = 0; t < TRIALS; t++) {
    const mode = t % 2 === 0 ? 'quiesced' : 'hard';
    it(`trial ${t + 1}: ${mode} kill, then --resume`, async () => {
      assert.ok(clean, 'clean run first');
      outcomes.push(await faultTrial({ cases: CASES, trackingUri: server.url, mode, cleanMs: clean.ms, clean: clean.metrics, rng, experiment: `shout-${t}` }));
    });
  }
});
