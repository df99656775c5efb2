// bench-timeout-s: 480
// An eval that records every case as an MLflow trace, against the real MLflow server (pinned
// venv, MLflow's default 4 workers, sqlite) and the loopback fake LLM endpoint (its own process)
// at 100 ms: 1,000 cases @16, measured in the same run as the same eval without traces (the
// store's trace writes turned into no-ops), each as the ratio limit / wall with limit =
// 1000/16 × 100 ms (goal ≥ 0.85 with traces; wall: until the run's results are recorded, when
// the CLI prints them), and the trace backlog: from the last recorded case to the last trace batch
// the server took (goal ≤ 5 s); and, at 200 cases, against MLflow's own mlflow.genai.evaluate on
// the same server writing the same trace shape (a peer measured in the same run). The store
// journals like the extension's (journal folder set). The server's backend is sqlite, or
// PostgreSQL with BENCH_TRACES_BACKEND=postgres (test/helpers/postgres.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSuite } from '../src/core/eval/suiteLoader';
import { runSuite, type CaseSink } from '../src/core/eval/runner';
import { MlflowStore } from '../src/core/tracking/mlflow/mlflowStore';
import type { StoredTrace, TrackingStore } from '../src/core/tracking/types';
import { allItems } from '../src/core/tracking/pages';
import { startMlflowServer, type MlflowServer } from '../test/helpers/mlflowServer';
import { startPostgres } from '../test/helpers/postgres';
import { runMlflowPython } from '../test/helpers/pythonMlflow';
import { reportResult } from './report';
import { startFakeServerProcess, type FakeServerProcess } from './_fakeServerProcess';
import { evalWorkspace } from './_evalWorkspace';

const CASES = 1000;
const CONCURRENCY = 16;
const LATENCY_MS = 100;
const LIMIT_MS = (CASES / CONCURRENCY) * LATENCY_MS;

/** The store as the runner sees it, timing trace writes, or with them turned off. */
function observed(store: MlflowStore, traces: boolean, onTraceWrite: () => void): TrackingStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'logTraces' || prop === 'logDatasetInput') {
        if (!traces) return async () => undefined;
        const fn = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<void>;
        return async (...args: unknown[]) => { await fn.apply(target, args); onTraceWrite(); };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

interface Measured { wallMs: number; backlogMs: number; traces: number; /** Until every trace was on the server. */ totalMs: number }

async function timedRun(fake: FakeServerProcess, store: MlflowStore, cases: number, traces: boolean): Promise<Measured> {
  const ws = evalWorkspace(fake.url, cases, CONCURRENCY);
  let lastCase = 0;
  let lastTraceWrite = 0;
  const lastCaseSink: CaseSink = { caseRecorded() { lastCase = performance.now(); } };
  try {
    const suite = parseSuite(ws.suiteText, ws.suiteFile);
    const t0 = performance.now();
    const res = await runSuite(suite, {
      store: observed(store, traces, () => { lastTraceWrite = performance.now(); }), workspaceRoot: ws.dir, trusted: true, noCache: true,
      cacheDir: path.join(ws.dir, 'cache'), concurrency: CONCURRENCY, providerCtx: { env: {} }, caseSinks: [lastCaseSink],
      deferTraces: true,
    });
    // The eval's wall: until its results are recorded (as the CLI prints them); the traces follow.
    const wallMs = performance.now() - t0;
    await res.traces;
    const totalMs = performance.now() - t0;
    const run = res.runs[0];
    if (run.status !== 'FINISHED' || run.metrics.error_count !== 0 || run.metrics.case_count !== cases) throw new Error(`bench run incomplete: ${run.status} ${JSON.stringify(run.metrics)}`);
    let stored: StoredTrace[] = [];
    if (traces) {
      stored = await allItems((pageToken) => store.searchRunTraces({ experimentId: run.experimentId, runId: run.runId, pageToken }));
      if (stored.length !== cases) throw new Error(`${stored.length} of ${cases} traces on the server`);
      if (store.pendingCount() !== 0) throw new Error(`${store.pendingCount()} writes left in the journal`);
    }
    return { wallMs, totalMs, backlogMs: traces ? Math.max(0, lastTraceWrite - lastCase) : 0, traces: stored.length };
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

const PEER_ROWS = 200;

/**
 * The peer: MLflow's own mlflow.genai.evaluate on the same server writing the same shape (a trace
 * per row, an expectation and three CODE feedbacks each, the run link) for rows whose predict_fn
 * answers at once; seconds from the call to its return (its traces are written by then).
 */
const PEER_EVALUATE = `
import json, time, mlflow
from mlflow.genai.scorers import scorer
mlflow.set_experiment("peer-evaluate")
@scorer
def contains(outputs, expectations):
    return expectations["expected_response"] in outputs
@scorer
def short(outputs):
    return len(outputs) < 200
@scorer
def nonempty(outputs):
    return bool(outputs)
data = [{"inputs": {"word": f"w{i}"}, "expectations": {"expected_response": f"w{i}"}} for i in range(${PEER_ROWS})]
t = time.time()
r = mlflow.genai.evaluate(data=data, predict_fn=lambda word: f"the word is {word}", scorers=[contains, short, nonempty])
seconds = time.time() - t
print(json.dumps({"ms": seconds * 1000, "traces": len(mlflow.search_traces(run_id=r.run_id, return_type="list"))}))
`;

async function main(): Promise<void> {
  const fake = await startFakeServerProcess();
  const pg = process.env.BENCH_TRACES_BACKEND === 'postgres' ? await startPostgres() : undefined;
  const backend = pg ? 'PostgreSQL' : 'sqlite';
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-traces-journal-'));
  let server: MlflowServer | undefined;
  let store: MlflowStore | undefined;
  try {
    const workers = Number(process.env.BENCH_TRACES_WORKERS ?? 4);
    server = await startMlflowServer({ workers, ...(pg ? { backendStoreUri: pg.uri } : {}) });
    store = new MlflowStore({ url: server.url, env: {}, journalDir });
    await fake.setLatency(0);
    await timedRun(fake, store, 200, true); // warm-up: JIT, server imports, sockets
    await fake.setLatency(LATENCY_MS);
    const plain = await timedRun(fake, store, CASES, false);
    const traced = await timedRun(fake, store, CASES, true);
    reportResult({ name: `eval without traces, MLflow server (${backend}): ${CASES} cases @${CONCURRENCY}, ${LATENCY_MS} ms endpoint: wall vs the limit ${CASES}/${CONCURRENCY} × ${LATENCY_MS} ms`, value: plain.wallMs, unit: 'ms', baseline: LIMIT_MS });
    reportResult({ name: `eval with traces, MLflow server (${backend}): ${CASES} cases @${CONCURRENCY}, ${LATENCY_MS} ms endpoint, every trace on the server: wall vs the limit (goal ratio ≥ 0.85)`, value: traced.wallMs, unit: 'ms', baseline: LIMIT_MS });
    reportResult({ name: `eval with traces: backlog from the last case to the last trace batch on the server (${CASES} cases; goal ≤ 5 s)`, value: traced.backlogMs, unit: 'ms', baseline: 5000 });
    console.log(`with traces: ${traced.traces} traces read back; wall ${traced.wallMs.toFixed(0)} ms vs ${plain.wallMs.toFixed(0)} ms without; every trace on the server after ${traced.totalMs.toFixed(0)} ms`);

    // Side by side with MLflow's own evaluate, on the same server: rows answered at once, so the
    // time is what recording each row as a trace with its assessments costs.
    await fake.setLatency(0);
    const ours = await timedRun(fake, store, PEER_ROWS, true);
    const peer = await runMlflowPython<{ ms: number; traces: number }>(server.url, PEER_EVALUATE);
    if (peer.traces !== PEER_ROWS) throw new Error(`mlflow.genai.evaluate left ${peer.traces} of ${PEER_ROWS} traces`);
    reportResult({ name: `${PEER_ROWS} cases recorded as traces with assessments, 0 ms endpoint, until every trace is on the server (${backend}): ours vs MLflow's mlflow.genai.evaluate (peer, same server)`, value: ours.totalMs, unit: 'ms', baseline: peer.ms });
  } finally {
    await store?.close();
    await server?.stop();
    await pg?.stop();
    await fake.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
