#!/usr/bin/env node
// Installs what the test suites need and is quick when it is already there:
//  - Debian packages: chromium (UI tests), ripgrep (code-server search), libkrb5-dev (code-server build)
//  - a Python venv with a pinned MLflow (integration tests start a real `mlflow server`)
//  - code-server from npm (a real VS Code for extension-host and UI tests)
// Heavy pieces live in a per-user cache folder keyed by version, so a fresh clone reuses them.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VERSION, MLFLOW_VERSION, PYTHON_PACKAGES, cacheRoot, codeServerDir, mlflowVenvDir } from './versions.mjs';

const args = new Set(process.argv.slice(2));
const log = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
}

function haveDebPackage(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages() {
  // postgresql-15: the PostgreSQL contract run (test/helpers/postgres.ts uses /usr/lib/postgresql/15/bin).
  const wanted = ['chromium', 'ripgrep', 'libkrb5-dev', 'git', 'postgresql-15'];
  const missing = wanted.filter((p) => !haveDebPackage(p));
  if (missing.length === 0) return log('debian packages present');
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(', ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureMlflowVenv() {
  const dir = mlflowVenvDir();
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return log(`mlflow ${MLFLOW_VERSION} venv present at ${dir}`);
  log(`creating venv with mlflow==${MLFLOW_VERSION} at ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const python = process.env.PYTHON || 'python3';
  run(python, ['-m', 'venv', dir]);
  const pip = path.join(dir, 'bin', 'pip');
  run(pip, ['install', '-q', '--disable-pip-version-check', ...PYTHON_PACKAGES]);
  execFileSync(path.join(dir, 'bin', 'mlflow'), ['--version'], { stdio: 'inherit' });
  fs.writeFileSync(marker, new Date().toISOString());
}

// MLflow's basic-auth app (auth tests) needs its `auth` extra (Flask-WTF), which venvs made
// before it was needed lack: add it to an existing venv once.
function ensureMlflowAuthExtra() {
  const python = path.join(mlflowVenvDir(), 'bin', 'python');
  if (spawnSync(python, ['-c', 'import flask_wtf'], { stdio: 'ignore' }).status === 0) return log('mlflow[auth] present');
  log(`installing mlflow[auth]==${MLFLOW_VERSION} (Flask-WTF) into the venv`);
  run(path.join(mlflowVenvDir(), 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', `mlflow[auth]==${MLFLOW_VERSION}`]);
}

function ensureCodeServer() {
  const dir = codeServerDir();
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return log(`code-server ${CODE_SERVER_VERSION} present at ${dir}`);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // code-server's native parts build with install scripts (its postinstall installs VS Code's
  // modules); npm 11 runs only the approved ones, recorded in this package.json.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'prompt-ledger-code-server-cache', private: true,
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2));
  // @vscode/ripgrep downloads rg from GitHub at install time; this machine reaches only package
  // registries, so pre-fill its download cache with Debian's ripgrep.
  const tmp = process.env.TMPDIR || os.tmpdir();
  const rgCache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const rgTar = path.join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!fs.existsSync(rgTar)) {
    fs.mkdirSync(rgCache, { recursive: true });
    const stage = fs.mkdtempSync(path.join(tmp, 'rg-stage-'));
    fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
    run('tar', ['-czf', rgTar, '-C', stage, 'rg']);
  }
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_nodedir: '',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  execFileSync(bin, ['--version'], { stdio: 'inherit' });
  fs.writeFileSync(marker, new Date().toISOString());
}

try {
  fs.mkdirSync(cacheRoot(), { recursive: true });
  ensureDebianPackages();
  if (!args.has('--code-server-only')) { ensureMlflowVenv(); ensureMlflowAuthExtra(); }
  ensureCodeServer();
} catch (e) {
  console.error(`[setup] failed: ${e.message}`);
  process.exit(1);
}
