// Starts a real `mlflow server` (the pinned venv) for integration tests and benchmarks.
// Each server gets its own temp dir (sqlite db + served artifacts), a free 127.0.0.1 port and its
// own process group, so stop() can kill gunicorn/uvicorn workers together with the parent.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mlflowBin } from '../setup/versions.mjs';

export interface MlflowServer {
  url: string;
  port: number;
  dir: string;
  /** Kills the process group and removes the temp dir. */
  stop(): Promise<void>;
  /** Kills the process group (SIGKILL) but keeps the data, as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data (after kill()). */
  restart(): Promise<void>;
  /** With `auth`: the admin user the auth config file created. */
  admin?: { username: string; password: string };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`mlflow server exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`mlflow server did not become healthy at ${url}:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
}

function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    child.once('exit', done);
    try {
      process.kill(-child.pid!, signal);
    } catch {
      resolve();
      return;
    }
    // Escalate if the group ignores SIGTERM.
    const t = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, 10_000);
    child.once('exit', () => clearTimeout(t));
  });
}

export interface StartMlflowServerOptions {
  backendStoreUri?: string;
  /**
   * A prepared sqlite backend (e.g. runs seeded with MLflow's own SqlAlchemyStore) copied into the
   * server's temp dir before start, so the original stays untouched and can be reused.
   */
  seedSqliteFile?: string;
  appName?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * MLflow's basic-auth app (`--app-name basic-auth`) with its own user database in the temp dir
   * and an admin from the config file written there. Needs Flask-WTF in the venv
   * (test/setup/ensureTestDeps.mjs installs mlflow[auth]).
   */
  auth?: { adminPassword?: string; defaultPermission?: 'READ' | 'USE' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS' };
  /**
   * Server worker processes. Tests use 1 (memory, and one process to kill in fault tests);
   * benches pass MLflow's own default (4), the server a team runs.
   */
  workers?: number;
}

export async function startMlflowServer(opts: StartMlflowServerOptions = {}): Promise<MlflowServer> {
  if (opts.seedSqliteFile && opts.backendStoreUri) throw new Error('startMlflowServer: pass seedSqliteFile or backendStoreUri, not both');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-mlflow-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbFile = path.join(dir, 'mlflow.db');
  if (opts.seedSqliteFile) fs.copyFileSync(opts.seedSqliteFile, dbFile);
  const backend = opts.backendStoreUri ?? `sqlite:///${dbFile}`;
  const artifacts = path.join(dir, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const authEnv: NodeJS.ProcessEnv = {};
  let admin: MlflowServer['admin'];
  if (opts.auth) {
    // Passwords must have at least 12 characters; MLflow ships no default admin password.
    admin = { username: 'admin', password: opts.auth.adminPassword ?? `admin-${path.basename(dir)}-pw` };
    const ini = path.join(dir, 'basic_auth.ini');
    fs.writeFileSync(ini, [
      '[mlflow]',
      `default_permission = ${opts.auth.defaultPermission ?? 'READ'}`,
      `database_uri = sqlite:///${path.join(dir, 'basic_auth.db')}`,
      `admin_username = ${admin.username}`,
      `admin_password = ${admin.password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      // Password checks are PBKDF2 on every request unless cached; tests make many requests.
      'auth_cache_ttl_seconds = 60',
      '',
    ].join('\n'));
    authEnv.MLFLOW_AUTH_CONFIG_PATH = ini;
    authEnv.MLFLOW_FLASK_SERVER_SECRET_KEY = `secret-${path.basename(dir)}`;
  }
  const appName = opts.appName ?? (opts.auth ? 'basic-auth' : undefined);
  const args = [
    'server',
    '--host', '127.0.0.1',
    '--port', String(port),
    '--backend-store-uri', backend,
    '--serve-artifacts',
    '--artifacts-destination', artifacts,
    '--workers', String(opts.workers ?? 1),
    // Host/CORS checks: default allows localhost and private IPs, which covers 127.0.0.1:<port>.
    ...(appName ? ['--app-name', appName] : []),
  ];
  let child: ChildProcess | undefined;
  const launch = async () => {
    const log = fs.openSync(logFile, 'a');
    child = spawn(mlflowBin(), args, {
      cwd: dir,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', ...authEnv, ...opts.env },
    });
    fs.closeSync(log);
    await waitForHealth(url, child, logFile);
  };
  try {
    await launch();
  } catch (e) {
    await killGroup(child, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    port,
    dir,
    admin,
    async kill() {
      await killGroup(child, 'SIGKILL');
    },
    async restart() {
      await killGroup(child, 'SIGKILL');
      await launch();
    },
    async stop() {
      await killGroup(child, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
