// Fault injection for resume: runs the built CLI (dist/cli.js) against the loopback fake LLM
// server, SIGKILLs it at a random point, resumes, and checks what both processes did. Shared by
// the embedded-store and the MLflow-server fault tests.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer, type RecordedRequest } from '../../helpers/fakeLlmServer';
import { openTrackingStore, resolveTrackingUri } from '../../../src/core/tracking/trackingUri';
import type { Run, TrackingStore } from '../../../src/core/tracking/types';
import { caseJournalPath, readCaseJournal } from '../../../src/core/eval/caseJournal';
import { readEmbeddedTraces } from '../../../src/core/tracking/local/embeddedTraces';
import { runLiveness } from '../../../src/core/eval/runLiveness';

export const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist', 'cli.js');
export const CONCURRENCY = 16;

export interface CliResult { code: number; stdout: string; stderr: string }

export function spawnCli(args: string[], cwd: string, trackingUri: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: '1', MLFLOW_TRACKING_URI: trackingUri } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr })));
  return { child, done };
}

/** Case i: the fake answers wrong for every 7th and refuses (400, not retried) every 13th. */
export function fakeAnswer(word: string): { type: 'reply'; text: string } | { type: 'error'; status: number } {
  const i = Number(word.slice(1));
  if (i % 13 === 0) return { type: 'error', status: 400 };
  return { type: 'reply', text: i % 7 === 0 ? `not ${word}` : word };
}

export interface FaultWorkspace { dir: string; suiteFile: string }

export function makeFaultWorkspace(fake: FakeLlmServer, cases: number, experiment = 'shout'): FaultWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-fault-'));
  fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: shout\ninputs:\n  word:\n    type: string\n---\nsystem:\nRepeat the word.\n\nuser:\n{{ word }}\n');
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), `${Array.from({ length: cases }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { word: `w${i}` }, expected: `w${i}` })).join('\n')}\n`);
  const suiteFile = path.join(dir, 'shout.eval.yaml');
  fs.writeFileSync(suiteFile, `prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${fake.url}/v1
    noAuth: true
concurrency: ${CONCURRENCY}
experiment: ${experiment}
scorers:
  - type: equals
`);
  return { dir, suiteFile };
}

export async function openStoreFor(dir: string, trackingUri: string): Promise<TrackingStore> {
  return openTrackingStore(resolveTrackingUri({ setting: trackingUri || undefined, env: {}, workspaceRoot: dir }));
}

export async function suiteRuns(store: TrackingStore, experiment = 'shout'): Promise<Run[]> {
  const exp = await store.getExperimentByName(experiment);
  if (!exp) return [];
  return (await store.searchRuns({ experimentIds: [exp.experimentId] })).items;
}

export async function tableOf(store: TrackingStore, runId: string): Promise<{ columns: string[]; data: unknown[][] }> {
  return JSON.parse(Buffer.from(await store.downloadArtifact(runId, 'eval_results_table.json')).toString('utf8'));
}

/** Metrics that do not depend on timing (latency percentiles do). */
export function stableMetrics(run: Run): Record<string, number> {
  return Object.fromEntries(run.data.metrics.filter((m) => !m.key.startsWith('latency_ms/')).map((m) => [m.key, m.value]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

const served = (r: RecordedRequest) => r.respondedAt !== undefined && !r.clientClosedEarly;
const wordOf = (r: RecordedRequest) => {
  const msgs = (r.body as { messages: { role: string; content: string }[] }).messages;
  return msgs.filter((m) => m.role === 'user').at(-1)!.content;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TrialOutcome { mode: 'quiesced' | 'hard'; killedAfterServed: number; recordedBeforeKill: number; resent: number; resumeMs: number }

/**
 * One trial. `quiesced`: at a random count of served cases the fake stops answering; once the
 * journal holds every served case, SIGKILL. Then every case must be served exactly once overall.
 * `hard`: SIGKILL after a random delay, whatever the process is doing; then no recorded case may
 * be sent again, and only calls in flight at the kill (≤ concurrency) may be.
 */
export async function faultTrial(opts: { cases: number; trackingUri: string; mode: 'quiesced' | 'hard'; cleanMs: number; clean: Record<string, number>; rng: () => number; experiment?: string }): Promise<TrialOutcome> {
  const { cases, trackingUri, mode } = opts;
  const experiment = opts.experiment ?? 'shout';
  let gateClosed = false;
  const fake = await startFakeLlmServer({
    behavior: async ({ prompt }) => {
      await sleep(1);
      if (gateClosed) return { type: 'hang' };
      return fakeAnswer(prompt);
    },
  });
  const ws = makeFaultWorkspace(fake, cases, experiment);
  try {
    const k = Math.floor(opts.rng() * cases);
    const first = spawnCli(['eval', 'shout.eval.yaml', '--no-cache'], ws.dir, trackingUri);
    let journalFile: string | undefined;
    // Embedded store and server runs alike keep the journal under <workspace>/.promptledger/case-journals/.
    const findJournal = async () => {
      if (journalFile) return journalFile;
      const dir = path.join(ws.dir, '.promptledger', 'case-journals');
      const ids = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      if (ids.length) journalFile = path.join(dir, ids[0], 'cases.jsonl');
      return journalFile;
    };
    if (mode === 'quiesced') {
      while (fake.requests.filter(served).length < k && first.child.exitCode === null) await sleep(1);
      gateClosed = true;
      // Every served answer must reach the journal while the process lives (per-case durability).
      const deadline = Date.now() + 20_000;
      for (;;) {
        const n = fake.requests.filter(served).length;
        const file = await findJournal();
        const inJournal = file ? readCaseJournal(file).rows.size : 0;
        if (inJournal === n && (n > 0 || file)) break;
        assert.ok(Date.now() < deadline, `journal has ${inJournal} cases, the fake served ${n}`);
        await sleep(2);
      }
      await sleep(Math.floor(opts.rng() * 20));
    } else {
      await sleep(Math.floor(opts.rng() * opts.cleanMs * 1.1));
    }
    first.child.kill('SIGKILL');
    const r1 = await first.done;
    const phase1 = fake.requests.length;
    const servedIn1 = new Map<string, number>();
    for (const r of fake.requests.slice(0, phase1)) if (served(r)) servedIn1.set(wordOf(r), (servedIn1.get(wordOf(r)) ?? 0) + 1);
    for (const [w, n] of servedIn1) assert.equal(n, 1, `${w} served ${n} times by one process`);

    let store = await openStoreFor(ws.dir, trackingUri);
    let runs = await suiteRuns(store, experiment);
    await store.close();
    const file = await findJournal();
    const recorded = file ? new Set([...readCaseJournal(file).rows.values()].map((row) => String(row.vars.word))) : new Set<string>();
    for (const w of recorded) assert.ok(servedIn1.has(w), `${w} is in the journal but was never served`);

    gateClosed = false;
    const t0 = Date.now();
    let runId: string | undefined;
    let resumedRun = false;
    if (runs.length === 0) {
      // Killed before the run existed: nothing was sent, nothing to resume.
      assert.equal(servedIn1.size, 0);
      const fresh = await spawnCli(['eval', 'shout.eval.yaml', '--no-cache'], ws.dir, trackingUri).done;
      assert.equal(fresh.code, 0, fresh.stderr);
    } else {
      assert.equal(runs.length, 1);
      runId = runs[0].info.runId;
      if (r1.code !== -1 || runs[0].info.status === 'FINISHED') {
        // The process got to the end before the kill landed.
        assert.equal(runs[0].info.status, 'FINISHED', r1.stderr);
      } else {
        assert.equal(runs[0].info.status, 'RUNNING');
        assert.equal(runLiveness(runs[0]).state, 'interrupted', 'a killed run shows as interrupted');
        const listed = await spawnCli(['runs', 'shout.eval.yaml'], ws.dir, trackingUri).done;
        assert.match(listed.stdout, new RegExp(`${runId}\\s+INTERRUPTED\\s+${recorded.size}/${cases} cases`), listed.stdout + listed.stderr);
        resumedRun = true;
        const resumed = await spawnCli(['eval', 'shout.eval.yaml', '--no-cache', '--resume'], ws.dir, trackingUri).done;
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stdout, new RegExp(`Resumed run ${runId}: ${recorded.size} rows were recorded before`));
      }
    }
    const resumeMs = Date.now() - t0;

    // Across both processes.
    const servedAll = new Map<string, number>();
    for (const r of fake.requests) if (served(r)) servedAll.set(wordOf(r), (servedAll.get(wordOf(r)) ?? 0) + 1);
    assert.equal(servedAll.size, cases, 'every case was served');
    const twice = [...servedAll].filter(([, n]) => n > 1).map(([w]) => w);
    for (const w of twice) {
      assert.equal(servedAll.get(w), 2);
      assert.ok(!recorded.has(w), `${w} was recorded before the kill and sent again`);
    }
    if (mode === 'quiesced') assert.deepEqual(twice, [], 'quiesced kill: each case served exactly once across both processes');
    assert.ok(twice.length <= CONCURRENCY, `${twice.length} cases sent twice; only calls in flight at the kill may be`);

    store = await openStoreFor(ws.dir, trackingUri);
    try {
      runs = await suiteRuns(store, experiment);
      assert.equal(runs.length, 1, 'one run, resumed under the same id');
      if (runId) assert.equal(runs[0].info.runId, runId);
      assert.equal(runs[0].info.status, 'FINISHED');
      const table = await tableOf(store, runs[0].info.runId);
      const ids = table.data.map((row) => row[0] as string);
      assert.equal(ids.length, cases, 'case table covers every case');
      assert.equal(new Set(ids).size, cases, 'every case recorded exactly once');
      assert.deepEqual(stableMetrics(runs[0]), opts.clean, 'final metrics equal a clean run');
      const j = readCaseJournal(caseJournalPath(store, ws.dir, runs[0].info.runId));
      assert.equal(j.rows.size, cases);
      if (store.kind === 'embedded') {
        // The embedded store builds the case traces from the journal: one per case, none doubled.
        const traces = await readEmbeddedTraces(store, runs[0].info.runId);
        assert.equal(new Set(traces.map((t) => t.traceId)).size, cases, 'a trace per case, each once');
        assert.equal(traces.length, cases);
      }
      // A kill that lands between the final status and the journal's end record leaves the journal
      // undelivered with nothing lost (the run is FINISHED with every row); any resume marks it.
      if (runId === undefined || resumedRun || r1.code === 0) assert.ok(j.delivered, 'journal marked delivered');
    } finally {
      await store.close();
    }
    return { mode, killedAfterServed: servedIn1.size, recordedBeforeKill: recorded.size, resent: twice.length, resumeMs };
  } finally {
    await fake.stop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/** A clean, unkilled run: its timing-independent metrics and wall time. */
export async function cleanRun(cases: number, trackingUri: string, experiment = 'shout'): Promise<{ metrics: Record<string, number>; ms: number }> {
  const fake = await startFakeLlmServer({ behavior: async ({ prompt }) => { await sleep(1); return fakeAnswer(prompt); } });
  const ws = makeFaultWorkspace(fake, cases, experiment);
  try {
    const t0 = Date.now();
    const r = await spawnCli(['eval', 'shout.eval.yaml', '--no-cache'], ws.dir, trackingUri).done;
    const ms = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    const store = await openStoreFor(ws.dir, trackingUri);
    try {
      const runs = await suiteRuns(store, experiment);
      assert.equal(runs.length, 1);
      assert.equal(fake.requests.length, cases);
      return { metrics: stableMetrics(runs[0]), ms };
    } finally {
      await store.close();
    }
  } finally {
    await fake.stop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/** Deterministic random numbers (mulberry32), seeded so a failing trial can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
