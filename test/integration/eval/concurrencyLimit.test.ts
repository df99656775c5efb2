// The CLI honours the requested concurrency exactly: a loopback fake counts the requests it has
// in flight at once, and that maximum must equal --concurrency (the CLI's HTTP client used to cap
// its sockets at 64, silently queueing everything above it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { behaviors, startFakeLlmServer, type Behavior, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runCliInProcess as runCli, wireWorkspace as workspace } from './cliInProcess';

/** Holds every answer until `n` requests are in flight together (once), then echoes. */
function untilInFlight(n: number, maxWaitMs: number): Behavior {
  let opened = false;
  return async ({ prompt }) => {
    const deadline = Date.now() + maxWaitMs;
    while (!opened && server.inFlight < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    opened = true;
    return { type: 'reply', text: prompt, latencyMs: 20 };
  };
}

let server: FakeLlmServer;

describe('eval concurrency as asked (CLI, loopback fake)', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  before(async () => { server = await startFakeLlmServer({ recordBodies: false }); });
  after(async () => { await server.stop(); });
  afterEach(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); dir = undefined; });

  for (const concurrency of [256, 1024]) {
    it(`--concurrency ${concurrency} has exactly ${concurrency} requests in flight at the peak`, async () => {
      // No answer returns until `concurrency` requests are open at once (or 20 s pass, which the
      // assertion below then catches), so a loaded machine that opens lanes slowly still peaks exactly.
      server.setBehavior(untilInFlight(concurrency, 20_000));
      server.resetStats();
      dir = workspace(server.url, concurrency * 2);
      const res = await runCli(['wide.eval.yaml', '--no-cache', '--concurrency', String(concurrency)], dir);
      assert.equal(res.code, 0, res.stderr + res.stdout);
      assert.equal(server.requests.length, concurrency * 2);
      assert.equal(server.maxInFlight, concurrency);
    });
  }

  it('the suite\'s own concurrency (above the old 64-socket cap) is reached too', async () => {
    server.setBehavior(behaviors.echo({ latencyMs: 300 }));
    server.resetStats();
    dir = workspace(server.url, 300);
    fs.appendFileSync(path.join(dir, 'wide.eval.yaml'), 'concurrency: 150\n');
    const res = await runCli(['wide.eval.yaml', '--no-cache'], dir);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.equal(server.maxInFlight, 150);
  });

  it('refuses --concurrency above the documented maximum with a clear error', async () => {
    dir = workspace(server.url, 1);
    const res = await runCli(['wide.eval.yaml', '--concurrency', '1025'], dir);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--concurrency must be at most 1024, got 1025/);
    assert.equal(server.inFlight, 0);
  });
});
