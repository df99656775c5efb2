// TLS like MLflow's client: verification on by default, MLFLOW_TRACKING_SERVER_CERT_PATH trusts a
// CA bundle, MLFLOW_TRACKING_INSECURE_TLS skips verification. Loopback HTTPS server, self-signed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { expectTrackingError } from './contract';

describe('MLflow client: TLS', function () {
  let dir: string;
  let srv: https.Server;
  let url: string;
  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    srv = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ experiment: { experiment_id: '1', name: 'tls', lifecycle_stage: 'active' } }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(async function () {
    srv?.closeAllConnections();
    await new Promise<void>((r) => (srv ? srv.close(() => r()) : r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate by default, naming the settings that fix it', async function () {
    const store = new MlflowStore({ url, env: {}, maxRetries: 0 });
    const e = await expectTrackingError(store.getExperiment('1'), 'UNAVAILABLE');
    assert.match(e.message, /MLFLOW_TRACKING_SERVER_CERT_PATH/);
    await store.close();
  });
  it('trusts the CA in MLFLOW_TRACKING_SERVER_CERT_PATH', async function () {
    const store = new MlflowStore({ url, env: { MLFLOW_TRACKING_SERVER_CERT_PATH: path.join(dir, 'cert.pem') } });
    assert.equal((await store.getExperiment('1')).name, 'tls');
    await store.close();
  });
  it('skips verification with MLFLOW_TRACKING_INSECURE_TLS=true', async function () {
    const store = new MlflowStore({ url, env: { MLFLOW_TRACKING_INSECURE_TLS: 'true' } });
    assert.equal((await store.getExperiment('1')).name, 'tls');
    await store.close();
  });
});
