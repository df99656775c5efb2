// Fault tests for the embedded store with real processes: a writer killed with SIGKILL at random
// moments (mid-batch, mid-compaction, holding the lock) loses nothing it acknowledged, and two
// writer processes at once lose and duplicate nothing and see each other's runs.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { readManifest } from '../../../src/core/tracking/local/formatVersion';

const CHILD = path.resolve(__dirname, '../../unit/tracking/local/storeWriterChild.ts');

function startChild(args: string[]): { child: ChildProcess; lines: string[]; onLine: (fn: (l: string) => void) => void; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners: Array<(l: string) => void> = [];
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const fn of listeners) fn(l);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, onLine: (fn) => listeners.push(fn), exited, stderr: () => err };
}

describe('embedded store under faults (real processes)', function () {
  this.timeout(240_000);
  let dir: string;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-faults-'));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write when the writer is SIGKILLed mid-batch, 6 times over', async function () {
    const acked = { runs: new Set<string>(), batches: new Set<string>(), finished: new Set<string>() };
    for (let round = 0; round < 6; round++) {
      const c = startChild(['crash', dir, `round${round}`]);
      // Kill after a varying number of acknowledgements plus a varying delay, so the kill lands at
      // different points: inside an append, between write and fsync, inside a compaction.
      const killAfter = 20 + round * 17;
      let seen = 0;
      await new Promise<void>((resolve) => {
        c.onLine(() => {
          if (++seen === killAfter) setTimeout(() => { c.child.kill('SIGKILL'); resolve(); }, round * 3);
        });
        void c.exited.then(() => resolve());
      });
      await c.exited;
      assert.equal(c.stderr(), '', 'child ran without errors until killed');
      for (const l of c.lines) {
        const [, what, id] = l.split(' ');
        if (what === 'run') acked.runs.add(id);
        if (what === 'batch') acked.batches.add(id);
        if (what === 'finished') acked.finished.add(id);
      }
      // Reopen (as the next editor or CLI start would) and check.
      const store = await openEmbeddedStore(dir);
      const exp = (await store.getExperimentByName('crash'))!.experimentId;
      const all = (await store.searchRuns({ experimentIds: [exp], maxResults: 50000 })).items;
      const byId = new Map(all.map((r) => [r.info.runId, r]));
      for (const id of acked.runs) assert.ok(byId.has(id), `acknowledged run ${id} survives (round ${round})`);
      for (const id of acked.batches) {
        const r = byId.get(id)!;
        assert.equal(r.data.params.length, 10, 'acknowledged batch: all params');
        assert.equal((await store.getMetricHistory(id, 'm0')).length, 10, 'acknowledged batch: full metric history');
      }
      for (const id of acked.finished) assert.equal(byId.get(id)!.info.status, 'FINISHED');
      // No torn batch anywhere: a batch is one record, present whole or not at all.
      for (const r of all) assert.ok(r.data.params.length === 0 || r.data.params.length === 10, 'batch is all-or-nothing');
      assert.equal(new Set(all.map((r) => r.info.runName)).size, all.length, 'no duplicated runs');
      // The store stays writable after the crash (stale lock broken, torn tail cut off).
      await store.setTag(all[0].info.runId, 'checked', String(round));
      await store.close();
    }
    assert.ok(acked.batches.size >= 30, `enough work happened (${acked.batches.size} batches)`);
    assert.ok(readManifest(dir)!.generation > 0, 'compactions happened while writers were being killed');
  });

  it('two writer processes at once: 2 × 200 runs, nothing lost or duplicated, each sees the other', async function () {
    const total = 400;
    const a = startChild(['concurrent', dir, 'A', '200', String(total)]);
    const b = startChild(['concurrent', dir, 'B', '200', String(total)]);
    const [ca, cb] = await Promise.all([a.exited, b.exited]);
    assert.equal(ca, 0, a.stderr());
    assert.equal(cb, 0, b.stderr());
    assert.ok(a.lines.includes(`SEEN ${total}`), `A saw B's runs: ${a.lines.join(' | ')}`);
    assert.ok(b.lines.includes(`SEEN ${total}`), `B saw A's runs: ${b.lines.join(' | ')}`);
    const store = await openEmbeddedStore(dir);
    const exp = (await store.getExperimentByName('concurrent'))!.experimentId;
    const runs = (await store.searchRuns({ experimentIds: [exp], maxResults: 50000 })).items;
    assert.equal(runs.length, total);
    const names = new Set(runs.map((r) => r.info.runName));
    for (const w of ['A', 'B']) for (let i = 0; i < 200; i++) assert.ok(names.has(`${w}-${i}`), `${w}-${i} present`);
    for (const r of runs) {
      const [w, i] = r.info.runName.split('-');
      assert.equal(r.data.params.find((p) => p.key === 'writer')?.value, w);
      assert.equal(r.data.params.find((p) => p.key === 'i')?.value, i);
      assert.equal(r.data.metrics.find((m) => m.key === 'score')?.value, Number(i) + 1);
      assert.equal((await store.getMetricHistory(r.info.runId, 'score')).length, 2, 'history not duplicated');
    }
    // Only one experiment named 'concurrent' although both processes ensured it at once.
    const exps = (await store.searchExperiments({ filter: "name = 'concurrent'" })).items;
    assert.equal(exps.length, 1);
    await store.close();
  });
});
