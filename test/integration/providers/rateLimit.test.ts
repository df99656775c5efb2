// A suite's `rpm` / `tpm` pace a run at high concurrency so that a rate-limited endpoint (429 with
// Retry-After above its rate, as the loopback fake does it) serves every case: no failures, and
// few 429s. The fake counts 429s in a sliding window of 3 s (short enough for a test, long
// enough that timer jitter is not the story); Retry-After is whole seconds, as servers send it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runCliInProcess, wireWorkspace } from '../eval/cliInProcess';

interface Report { suites: { runs: { metrics: Record<string, number>; cases: { error: unknown }[] }[] }[] }

describe('per-provider rate limits (rpm, tpm) against a rate-limited loopback endpoint', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;
  let dir: string | undefined;
  beforeEach(async () => { server = await startFakeLlmServer({ recordBodies: false }); });
  afterEach(async () => {
    await server.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const run = async (cases: number, modelExtra: string, opts: { pad?: string; concurrency?: number } = {}) => {
    dir = wireWorkspace(server.url, cases, { modelExtra, pad: opts.pad });
    const res = await runCliInProcess(['wide.eval.yaml', '--no-cache', '--concurrency', String(opts.concurrency ?? 256), '--output', 'json'], dir);
    const report = JSON.parse(res.stdout) as Report;
    return { res, run: report.suites[0]!.runs[0]! };
  };

  it('rpm: 300 cases at concurrency 256 against 40 requests/s finish without failures', async () => {
    const limit = behaviors.rateLimited({ rpm: 120, windowMs: 3000 });
    server.setBehavior(limit);
    const { res, run: r } = await run(300, '    rpm: 2400\n');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(r.cases.length, 300);
    assert.equal(r.metrics.error_count, 0);
    assert.equal(limit.stats.served, 300);
    // Paced, not hammering: 429s are the odd burst, not one per request.
    assert.ok(limit.stats.limited < 10, `${limit.stats.limited} requests got 429`);
  });

  it('tpm: calls of ~200 tokens at concurrency 64 against 2,000 tokens/s finish without failures', async () => {
    const limit = behaviors.rateLimited({ tpm: 6000, windowMs: 3000 });
    server.setBehavior(limit);
    // ~100 prompt tokens each (fakeTokenCount: 4 characters a token), echoed back: ~200 a call.
    const { res, run: r } = await run(60, '    tpm: 120000\n', { pad: ' x'.repeat(200), concurrency: 64 });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(r.metrics.error_count, 0);
    assert.equal(limit.stats.served, 60);
    assert.ok(limit.stats.limited < 10, `${limit.stats.limited} requests got 429`);
  });
});
