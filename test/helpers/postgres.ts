// A throw-away PostgreSQL 15 for tests: initdb into a temp dir, start on a free 127.0.0.1 port
// with its own socket dir, create a database, and stop + remove everything afterwards.
// PostgreSQL refuses to run as root, so when we are root the binaries run as the `postgres` user.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './mlflowServer';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface Postgres {
  /** postgresql+psycopg2:// URI of the created database (trust auth on loopback); the pinned venv ships psycopg2, not psycopg 3. */
  uri: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

async function osUser(): Promise<{ uid: number; gid: number; prefix: string[] } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: g } = await run('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(g.trim()), prefix: ['runuser', '-u', 'postgres', '--'] };
}

export async function startPostgres(opts: { database?: string } = {}): Promise<Postgres> {
  const database = opts.database ?? 'mlflow';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  const as = await osUser();
  if (as) {
    for (const p of [dir, sock]) fs.chownSync(p, as.uid, as.gid);
  }
  const exec = async (bin: string, args: string[]) => {
    const cmd = as ? as.prefix[0] : path.join(BIN, bin);
    const full = as ? [...as.prefix.slice(1), path.join(BIN, bin), ...args] : args;
    return run(cmd, full, { cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
  };
  const port = await freePort();
  let started = false;
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await exec('pg_ctl', [
      '-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
    started = true;
    await exec('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
  } catch (e) {
    if (started) await exec('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    const log = fs.existsSync(path.join(dir, 'postgres.log')) ? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8').slice(-2000) : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start PostgreSQL: ${(e as Error).message}\n${log}`);
  }
  return {
    uri: `postgresql+psycopg2://postgres@127.0.0.1:${port}/${database}`,
    port,
    dir,
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
