// Tracking against one real `mlflow server` (sqlite): our REST client vs MLflow's Python client
// doing the same work in the same run. Prints `BENCH {json}` lines (bench/report.ts).
//   1. log 10,000 metrics + 100 params + 10 artifacts to one run
//   2. search 10,000 runs (seeded with MLflow's own store, cached in os.tmpdir()): first page and
//      all pages, ours and Python's interleaved over several rounds, medians reported
// Python timings are measured inside the Python process (import and start-up excluded).
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { reportResult } from './report';
import { startMlflowServer } from '../test/helpers/mlflowServer';
import type { MlflowServer } from '../test/helpers/mlflowServer';
import { MLFLOW_VERSION, venvPython } from '../test/setup/versions.mjs';
import { MlflowStore } from '../src/core/tracking/mlflow/mlflowStore';

const METRICS = 10_000;
const PARAMS = 100;
const ARTIFACTS = 10;
const SEARCH_RUNS = 10_000;
const SEARCH_PARAMS = 8;
const SEARCH_METRICS = 8;
const SEARCH_EXPERIMENT = 'bench-search';
const SEARCH_REPS = 5;
const PAGE = 1000;

// Seeds the search runs with MLflow's own SqlAlchemyStore in-process, straight into a sqlite file
// the server is then started on: real MLflow runs (same schema, same code path as the server's
// create_run / log_batch), ~10x faster than creating them over REST. sqlite durability is relaxed
// while seeding only (the file is a throwaway cache).
const SEED_PY = `
import sys, time, json
import sqlalchemy
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.entities import Metric, Param, RunStatus, RunTag
db, runs, n_params, n_metrics, exp_name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
store = SqlAlchemyStore(f"sqlite:///{db}", "mlflow-artifacts:/")
@sqlalchemy.event.listens_for(store.engine, "connect")
def _fast(conn, _):
    c = conn.cursor()
    c.execute("PRAGMA synchronous=OFF")
    c.execute("PRAGMA journal_mode=MEMORY")
    c.close()
store.engine.dispose()
t0 = time.perf_counter()
exp = store.create_experiment(exp_name)
start = 1700000000000
for i in range(runs):
    run = store.create_run(exp, "bench", start + i, [RunTag("mlflow.runName", f"r{i}"), RunTag("group", str(i % 4))], f"r{i}")
    store.log_batch(
        run.info.run_id,
        metrics=[Metric(f"m{k}", i / (k + 1), start + i, 0) for k in range(n_metrics)],
        params=[Param(f"p{k}", f"value-{i % (k + 2)}") for k in range(n_params)],
        tags=[],
    )
    store.update_run_info(run.info.run_id, RunStatus.FINISHED, start + i + 1000, None)
store.engine.dispose()
print(json.dumps({"s": time.perf_counter() - t0}))
`;

/** A sqlite file with SEARCH_RUNS seeded runs, cached in os.tmpdir() by what makes it. */
async function seededSearchDb(): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify([MLFLOW_VERSION, SEED_PY, SEARCH_RUNS, SEARCH_PARAMS, SEARCH_METRICS, SEARCH_EXPERIMENT])).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), 'prompt-ledger-bench');
  const file = path.join(dir, `mlflow-search-${SEARCH_RUNS}runs-${key}.db`);
  if (fs.existsSync(file)) {
    console.log(`seeded search db: cached ${file}`);
    return file;
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const script = path.join(dir, `seed-${process.pid}.py`);
  fs.writeFileSync(script, SEED_PY);
  try {
    const { stdout } = await promisify(execFile)(venvPython(), [script, tmp, String(SEARCH_RUNS), String(SEARCH_PARAMS), String(SEARCH_METRICS), SEARCH_EXPERIMENT], {
      env: { ...process.env, GIT_PYTHON_REFRESH: 'quiet' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const { s } = JSON.parse(stdout.trim().split('\n').pop()!) as { s: number };
    console.log(`seeded ${SEARCH_RUNS} runs (${SEARCH_PARAMS} params, ${SEARCH_METRICS} metrics, 3 tags each) with MLflow's SqlAlchemyStore in ${s.toFixed(1)} s (${(SEARCH_RUNS / s).toFixed(0)} runs/s) → ${file}`);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(script, { force: true });
    fs.rmSync(tmp, { force: true });
  }
  return file;
}

/** One long-lived MLflow Python client (import and start-up paid once), timing inside Python. */
class PythonSearcher {
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private constructor(private readonly child: ChildProcess) {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      this.waiter?.();
    });
    child.once('exit', () => this.waiter?.());
  }

  static async start(server: MlflowServer, experimentId: string): Promise<PythonSearcher> {
    const file = path.join(server.dir, 'bench-search.py');
    fs.writeFileSync(file, `
import json, sys, time
from mlflow import MlflowClient
c = MlflowClient()
exp = ${JSON.stringify(experimentId)}
print("ready", flush=True)
for line in sys.stdin:
    what = line.strip()
    t0 = time.perf_counter()
    if what == "first":
        n = len(c.search_runs([exp], max_results=${PAGE}))
    else:
        n, token = 0, None
        while True:
            page = c.search_runs([exp], max_results=${PAGE}, page_token=token)
            n += len(page)
            token = page.token
            if not token:
                break
    print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "n": n}), flush=True)
`);
    const child = spawn(venvPython(), [file], {
      env: { ...process.env, MLFLOW_TRACKING_URI: server.url, GIT_PYTHON_REFRESH: 'quiet' },
      cwd: server.dir,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const p = new PythonSearcher(child);
    const ready = await p.next();
    if (ready !== 'ready') throw new Error(`python searcher did not start: ${ready}`);
    return p;
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.shift();
        if (line !== undefined) { this.waiter = undefined; resolve(line); return true; }
        if (this.child.exitCode !== null) { reject(new Error(`python searcher exited with ${this.child.exitCode}`)); return true; }
        return false;
      };
      if (!check()) this.waiter = () => { check(); };
    });
  }

  async run(what: 'first' | 'all'): Promise<{ ms: number; n: number }> {
    this.child.stdin!.write(`${what}\n`);
    return JSON.parse(await this.next()) as { ms: number; n: number };
  }

  close(): void {
    this.child.stdin!.end();
    if (this.child.exitCode === null) this.child.kill();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function python(server: MlflowServer, script: string): Promise<Record<string, number>> {
  const file = path.join(server.dir, `bench-${Date.now()}.py`);
  fs.writeFileSync(file, script);
  const { stdout } = await promisify(execFile)(venvPython(), [file], {
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, GIT_PYTHON_REFRESH: 'quiet' },
    cwd: server.dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main(): Promise<void> {
  const server = await startMlflowServer({ seedSqliteFile: await seededSearchDb() });
  const store = new MlflowStore({ url: server.url, env: {} });
  try {
    const artifactDir = path.join(server.dir, 'bench-artifacts');
    fs.mkdirSync(artifactDir);
    const payload = 'x'.repeat(10 * 1024);
    for (let i = 0; i < ARTIFACTS; i++) fs.writeFileSync(path.join(artifactDir, `a${i}.txt`), payload);

    // ---- 1. logging
    const exp = await store.createExperiment('bench-logging');
    const now = Date.now();
    const [oursMs] = await timed(async () => {
      const run = await store.createRun({ experimentId: exp, runName: 'ours' });
      await store.logBatch(run.info.runId, {
        params: Array.from({ length: PARAMS }, (_, i) => ({ key: `p${i}`, value: `value-${i}` })),
        metrics: Array.from({ length: METRICS }, (_, i) => ({ key: `m${i % 10}`, value: i / 3, timestamp: now + i, step: Math.floor(i / 10) })),
      });
      await Promise.all(Array.from({ length: ARTIFACTS }, (_, i) => store.uploadArtifact(run.info.runId, `files/a${i}.txt`, payload)));
      await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: Date.now() });
    });
    const py = await python(server, `
import json, time, os
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
c = MlflowClient()
exp = c.get_experiment_by_name("bench-logging").experiment_id
now = int(time.time() * 1000)
t0 = time.perf_counter()
run = c.create_run(exp, run_name="python")
rid = run.info.run_id
c.log_batch(rid, metrics=[Metric(f"m{i % 10}", i / 3, now + i, i // 10) for i in range(${METRICS})],
            params=[Param(f"p{i}", f"value-{i}") for i in range(${PARAMS})])
for i in range(${ARTIFACTS}):
    c.log_artifact(rid, os.path.join(${JSON.stringify(artifactDir)}, f"a{i}.txt"), "files")
c.set_terminated(rid)
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}))
`);
    console.log(`logging: ours ${oursMs.toFixed(0)} ms, python ${py.ms.toFixed(0)} ms`);
    reportResult({ name: 'tracking: log 10k metrics + 100 params + 10 artifacts (vs MLflow Python client)', value: oursMs, unit: 'ms', baseline: py.ms });

    // ---- 2. search (the seeded experiment; ours and Python interleaved, medians)
    const sexp = (await store.getExperimentByName(SEARCH_EXPERIMENT))?.experimentId;
    if (!sexp) throw new Error(`the seeded database has no experiment '${SEARCH_EXPERIMENT}'`);
    const oursFirst = async () => (await store.searchRuns({ experimentIds: [sexp], maxResults: PAGE })).items.length;
    const oursAll = async () => {
      let n = 0;
      let pageToken: string | undefined;
      do {
        const page = await store.searchRuns({ experimentIds: [sexp], maxResults: PAGE, pageToken });
        n += page.items.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      return n;
    };
    const py2 = await PythonSearcher.start(server, sexp);
    try {
      const expectFirst = Math.min(PAGE, SEARCH_RUNS);
      const check = (who: string, what: string, n: number, expected: number) => {
        if (n !== expected) throw new Error(`${who} ${what} returned ${n} runs, expected ${expected}`);
      };
      // One unmeasured call each: connections, lazy imports and JIT warm-up.
      check('ours', 'first page', await oursFirst(), expectFirst);
      check('python', 'first page', (await py2.run('first')).n, expectFirst);
      const samples = { oursFirst: [] as number[], pyFirst: [] as number[], oursAll: [] as number[], pyAll: [] as number[] };
      for (let rep = 0; rep < SEARCH_REPS; rep++) {
        // Alternate who goes first so neither side always gets the quieter slot.
        const oursTurn = async (what: 'first' | 'all') => {
          const [ms, n] = await timed(what === 'first' ? oursFirst : oursAll);
          check('ours', what, n, what === 'first' ? expectFirst : SEARCH_RUNS);
          (what === 'first' ? samples.oursFirst : samples.oursAll).push(ms);
        };
        const pyTurn = async (what: 'first' | 'all') => {
          const r = await py2.run(what);
          check('python', what, r.n, what === 'first' ? expectFirst : SEARCH_RUNS);
          (what === 'first' ? samples.pyFirst : samples.pyAll).push(r.ms);
        };
        for (const what of ['first', 'all'] as const) {
          if (rep % 2 === 0) { await oursTurn(what); await pyTurn(what); } else { await pyTurn(what); await oursTurn(what); }
        }
      }
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
      console.log(`search ${SEARCH_RUNS} runs, ${SEARCH_REPS} interleaved rounds (ms):`);
      console.log(`  first page  ours [${fmt(samples.oursFirst)}]  python [${fmt(samples.pyFirst)}]`);
      console.log(`  all pages   ours [${fmt(samples.oursAll)}]  python [${fmt(samples.pyAll)}]`);
      reportResult({ name: `tracking: search ${SEARCH_RUNS} runs, first page of ${PAGE} (vs MLflow Python client, median of ${SEARCH_REPS})`, value: median(samples.oursFirst), unit: 'ms', baseline: median(samples.pyFirst) });
      reportResult({ name: `tracking: search ${SEARCH_RUNS} runs, all pages of ${PAGE} (vs MLflow Python client, median of ${SEARCH_REPS})`, value: median(samples.oursAll), unit: 'ms', baseline: median(samples.pyAll) });
    } finally {
      py2.close();
    }
  } finally {
    await store.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
