// Fault test, embedded store: SIGKILL the CLI at random points of a 2,000-case run against the
// loopback fake, then `--resume`. Every case recorded exactly once, the fake served each case once
// across both processes (calls in flight at a hard kill excepted, and never a recorded one), and
// the final metrics equal a clean run's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cleanRun, faultTrial, root, seeded, type TrialOutcome } from './resumeFaultHarness';

const CASES = 2000;
const TRIALS = 10;
const SEED = Number(process.env.PL_FAULT_SEED ?? Date.now() % 100000);

describe(`resume after SIGKILL, embedded store (${TRIALS} trials × ${CASES} cases, seed ${SEED})`, function () {
  let clean: { metrics: Record<string, number>; ms: number };
  const outcomes: TrialOutcome[] = [];
  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
    clean = await cleanRun(CASES, '');
    assert.equal(clean.metrics.case_count, CASES);
    assert.ok(clean.metrics.error_count > 0 && clean.metrics.pass_rate < 1, 'the fixture has failures and errors');
  });
  after(() => {
    if (outcomes.length) console.log(`      clean run ${clean.ms} ms; trials: ${outcomes.map((o) => `${o.mode} killed@${o.recordedBeforeKill} resent=${o.resent} resume=${o.resumeMs}ms`).join(', ')}`);
  });

  const rng = seeded(SEED);
  for (let t = 0; t < TRIALS; t++) {
    const mode = t % 2 === 0 ? 'quiesced' : 'hard';
    it(`trial ${t + 1}: ${mode} kill, then --resume`, async () => {
      outcomes.push(await faultTrial({ cases: CASES, trackingUri: '', mode, cleanMs: clean.ms, clean: clean.metrics, rng }));
    });
  }
});
