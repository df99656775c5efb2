// Faults against real servers: a server killed and restarted mid-run (journal), an unreachable
// host, and the answers of auth layers and proxies (emulated by loopback servers of our own).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { freePort, startMlflowServer } from '../../helpers/mlflowServer';
import type { MlflowServer } from '../../helpers/mlflowServer';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { expectTrackingError } from './contract';

const metrics = (from: number, to: number, key = 'loss') =>
  Array.from({ length: to - from }, (_, i) => ({ key, value: (from + i) / 7, timestamp: 1_700_000_000_000 + from + i, step: from + i }));

describe('MLflow server: faults', function () {
  let server: MlflowServer;
  let journalDir: string;
  before(async function () {
    server = await startMlflowServer();
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-journal-'));
  });
  after(async function () {
    await server?.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it('journals run writes while the server is down and delivers them exactly once after restart', async function () {
    const store = new MlflowStore({ url: server.url, env: {}, journalDir, maxRetries: 1, retryBaseMs: 20 });
    try {
      const exp = await store.createExperiment('faults');
      const run = await store.createRun({ experimentId: exp, runName: 'survivor' });
      const id = run.info.runId;
      await store.logBatch(id, { params: [{ key: 'model', value: 'a' }], metrics: metrics(0, 1500) });
      assert.equal(store.pendingCount(), 0);

      await server.kill();
      await store.logBatch(id, { metrics: metrics(1500, 2600), params: [{ key: 'late', value: 'x' }] });
      await store.setTag(id, 'phase', 'offline');
      await store.logBatch(id, { metrics: metrics(0, 50, 'acc') });
      // Journaled, not delivered: no RunInfo is made up (it would have an empty experiment id).
      assert.equal(await store.updateRun(id, { status: 'FINISHED', endTime: Date.now() }), undefined);
      assert.equal(store.pendingCount(), 4);
      // Still down: nothing delivered, nothing lost.
      assert.equal(await store.flushJournal(), 0);
      assert.equal(store.pendingCount(), 4);

      await server.restart();
      // A fresh client (as after an editor restart) finds the journal on disk.
      const again = new MlflowStore({ url: server.url, env: {}, journalDir, maxRetries: 1, retryBaseMs: 20 });
      assert.equal(again.pendingCount(), 4);
      assert.equal(await again.flushJournal(), 4);
      assert.equal(again.pendingCount(), 0);
      assert.equal(await again.flushJournal(), 0);

      const got = await again.getRun(id);
      assert.equal(got.info.status, 'FINISHED');
      assert.equal(got.data.tags.find((t) => t.key === 'phase')?.value, 'offline');
      assert.equal(got.data.params.find((p) => p.key === 'late')?.value, 'x');
      const loss = await again.getMetricHistory(id, 'loss');
      assert.equal(loss.length, 2600);
      assert.equal(new Set(loss.map((m) => m.step)).size, 2600);
      assert.equal((await again.getMetricHistory(id, 'acc')).length, 50);
      await again.close();
    } finally {
      await store.close();
    }
  });

  it('does not double metrics when a batch that already landed is sent again', async function () {
    // The journal relies on this: a request that reached the server although its answer was lost
    // is re-sent, and MLflow's SQL store ignores metrics identical in key, value, step, timestamp.
    const store = new MlflowStore({ url: server.url, env: {} });
    const exp = await store.ensureExperiment('faults');
    const id = (await store.createRun({ experimentId: exp })).info.runId;
    await store.logBatch(id, { metrics: metrics(0, 300) });
    await store.logBatch(id, { metrics: metrics(0, 300) });
    assert.equal((await store.getMetricHistory(id, 'loss')).length, 300);
    await store.close();
  });

  it('keeps the order of writes: later writes queue behind journaled ones', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-journal-'));
    const store = new MlflowStore({ url: server.url, env: {}, journalDir: dir, maxRetries: 0 });
    try {
      const exp = await store.ensureExperiment('faults');
      const id = (await store.createRun({ experimentId: exp })).info.runId;
      await server.kill();
      await store.setTag(id, 'k', 'first');
      await server.restart();
      // The server is back, but the older entry goes first, so the tag ends as 'second'.
      await store.setTag(id, 'k', 'second');
      assert.equal(store.pendingCount(), 0);
      assert.equal((await store.getRun(id)).data.tags.find((t) => t.key === 'k')?.value, 'second');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('raises UNAVAILABLE naming the URI when nothing listens there', async function () {
    const port = await freePort();
    const store = new MlflowStore({ url: `http://127.0.0.1:${port}`, env: {}, maxRetries: 1, retryBaseMs: 10 });
    const e = await expectTrackingError(store.getRun('abc'), 'UNAVAILABLE');
    assert.match(e.message, new RegExp(`http://127.0.0.1:${port}`));
    assert.match(e.message, /ECONNREFUSED/);
    assert.match(e.message, /MLFLOW_TRACKING_URI|promptLedger.trackingUri/);
    await expectTrackingError(store.logBatch('abc', { params: [{ key: 'p', value: '1' }] }), 'UNAVAILABLE');
    await store.close();
  });
});

/** A loopback HTTP server answering with `handler`; records requests. */
async function loopback(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const seen: { url: string; auth?: string }[] = [];
  const srv = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    req.resume();
    req.on('end', () => handler(req, res, seen.length));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

describe('MLflow client: auth, proxies and retries (loopback servers)', function () {
  it('maps a 401 like MLflow basic-auth sends to UNAUTHENTICATED naming the settings to fix', async function () {
    // Body and header exactly as mlflow/server/auth make_basic_auth_response() (the basic-auth app
    // needs Flask-WTF, which the pinned venv does not ship, so it is emulated here).
    const srv = await loopback((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from('alice:right').toString('base64')}`;
      if (ok) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ experiment: { experiment_id: '0', name: 'Default', lifecycle_stage: 'active' } }));
        return;
      }
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="mlflow"', 'Content-Type': 'text/html; charset=utf-8' });
      res.end('You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.');
    });
    try {
      const none = new MlflowStore({ url: srv.url, env: {}, credentialsHint: '"Prompt Ledger: Set MLflow Credentials"' });
      const e1 = await expectTrackingError(none.getExperiment('0'), 'UNAUTHENTICATED');
      assert.match(e1.message, /MLFLOW_TRACKING_TOKEN/);
      assert.match(e1.message, /MLFLOW_TRACKING_USERNAME/);
      assert.match(e1.message, /Prompt Ledger: Set MLflow Credentials/);
      const wrong = new MlflowStore({ url: srv.url, env: { MLFLOW_TRACKING_USERNAME: 'alice', MLFLOW_TRACKING_PASSWORD: 'wrong' } });
      const e2 = await expectTrackingError(wrong.getExperiment('0'), 'UNAUTHENTICATED');
      assert.match(e2.message, /refused/);
      assert.doesNotMatch(e2.message, /wrong/);
      const right = new MlflowStore({ url: srv.url, env: { MLFLOW_TRACKING_USERNAME: 'alice', MLFLOW_TRACKING_PASSWORD: 'wrong' }, credentials: { username: 'alice', password: 'right' } });
      assert.equal((await right.getExperiment('0')).name, 'Default');
      const token = new MlflowStore({ url: srv.url, env: { MLFLOW_TRACKING_TOKEN: 't0k' } });
      await expectTrackingError(token.getExperiment('0'), 'UNAUTHENTICATED');
      assert.equal(srv.seen.at(-1)?.auth, 'Bearer t0k');
      for (const s of [none, wrong, right, token]) await s.close();
    } finally {
      await srv.close();
    }
  });

  it('turns plain-text and HTML answers (security middleware, proxies) into typed errors', async function () {
    const srv = await loopback((req, res) => {
      if (req.url?.includes('experiments/get?')) {
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        res.end('Invalid Host header - possible DNS rebinding attack detected');
      } else if (req.url?.includes('runs/get')) {
        res.writeHead(404, { 'Content-Type': 'text/html' });
        res.end('<html><body><h1>Not Found</h1></body></html>');
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html>login page</html>');
      }
    });
    const store = new MlflowStore({ url: srv.url, env: {}, maxRetries: 0 });
    try {
      const e1 = await expectTrackingError(store.getExperiment('1'), 'PERMISSION_DENIED');
      assert.match(e1.message, /Invalid Host header/);
      assert.match(e1.message, /--allowed-hosts/);
      const e2 = await expectTrackingError(store.getRun('x'), 'RESOURCE_DOES_NOT_EXIST');
      assert.match(e2.message, /Is the tracking URI an MLflow server/);
      const e3 = await expectTrackingError(store.getRegisteredModel('m'), 'INTERNAL_ERROR');
      assert.match(e3.message, /not JSON/);
    } finally {
      await store.close();
      await srv.close();
    }
  });

  it('retries 429/503 honouring Retry-After, and gives up with UNAVAILABLE', async function () {
    const srv = await loopback((req, res, n) => {
      if (req.url?.includes('flaky') && n <= 2) {
        res.writeHead(n === 1 ? 429 : 503, { 'Retry-After': '0', 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }));
        return;
      }
      if (req.url?.includes('always-down')) {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ experiment: { experiment_id: '7', name: 'flaky', lifecycle_stage: 'active' } }));
    });
    const store = new MlflowStore({ url: `${srv.url}/flaky`, env: {}, maxRetries: 3, retryBaseMs: 5 });
    const down = new MlflowStore({ url: `${srv.url}/always-down`, env: {}, maxRetries: 2, retryBaseMs: 5 });
    try {
      assert.equal((await store.getExperiment('7')).name, 'flaky');
      assert.equal(srv.seen.filter((s) => s.url.includes('flaky')).length, 3);
      const e = await expectTrackingError(down.getExperiment('7'), 'UNAVAILABLE');
      assert.match(e.message, /502/);
      assert.equal(srv.seen.filter((s) => s.url.includes('always-down')).length, 3);
    } finally {
      await store.close();
      await down.close();
      await srv.close();
    }
  });

  it('times out per MLFLOW_HTTP_REQUEST_TIMEOUT with UNAVAILABLE naming the setting', async function () {
    const srv = await loopback(() => { /* never answers */ });
    const store = new MlflowStore({ url: srv.url, env: { MLFLOW_HTTP_REQUEST_TIMEOUT: '0.2' }, maxRetries: 0 });
    try {
      const e = await expectTrackingError(store.getExperiment('1'), 'UNAVAILABLE');
      assert.match(e.message, /MLFLOW_HTTP_REQUEST_TIMEOUT/);
    } finally {
      await store.close();
      await srv.close();
    }
  });
});
