import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseJournalWriter, JournalBusyError, readCaseJournal } from '../../../src/core/eval/caseJournal';
import { encodeLine } from '../../../src/core/tracking/local/logFormat';
import { forEachLatestCase, journalExtent, latestRecords, readJournalHeader, recordedRowCount } from '../../../src/core/eval/journalScan';
import { runLiveness, STALE_MS } from '../../../src/core/eval/runLiveness';
import { TAGS } from '../../../src/core/eval/runContext';
import type { CaseRow } from '../../../src/core/eval/caseRow';
import type { Run } from '../../../src/core/tracking/types';

const header = { runId: 'r1', total: 4, repeat: 1, promptHash: 'p', datasetHash: 'd', suiteHash: 's', model: 'echo' };
const row = (i: number, error = false): CaseRow => ({ caseId: `c${i}`, caseIndex: i, repeat: 0, vars: { i }, scores: [], score: error ? 0 : 1, pass: !error, ...(error ? { error: { kind: 'server', message: 'x' } } : {}) });

describe('case journal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-journal-'));
    file = path.join(dir, 'r1', 'cases.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the last record per row, ignores and then cuts a torn tail', async () => {
    const w = await CaseJournalWriter.open(file, header);
    w.append(0, row(0));
    w.append(1, row(1, true));
    w.append(1, row(1));
    w.close();
    fs.appendFileSync(file, '0badc0de {"t":"case","i":2,"row":'); // killed mid-write
    const j = readCaseJournal(file);
    assert.equal(j.header?.runId, 'r1');
    assert.deepEqual([...j.rows.keys()].sort(), [0, 1]);
    assert.equal(j.rows.get(1)?.error, undefined, 'the retried row wins');
    const w2 = await CaseJournalWriter.open(file, header);
    w2.append(2, row(2));
    w2.markDelivered('FINISHED');
    w2.close();
    const j2 = readCaseJournal(file);
    assert.deepEqual([...j2.rows.keys()].sort(), [0, 1, 2]);
    assert.equal(j2.validEnd, fs.statSync(file).size, 'no garbage left in the file');
    assert.equal(j2.delivered?.status, 'FINISHED');
  });

  it('each append is written when it returns (before the next call could start), and the streamed scan agrees with a full read', async () => {
    const w = await CaseJournalWriter.open(file, header);
    w.append(0, row(0));
    assert.equal(readCaseJournal(file).rows.size, 1, 'written when append returns, not later in the turn');
    w.append(1, row(1, true));
    w.append(2, row(2));
    assert.equal(readCaseJournal(file).rows.size, 3);
    w.append(1, row(1));
    w.close();
    fs.appendFileSync(file, '0badc0de {"t":"case","i":3,"row":'); // torn tail
    const latest = [...latestRecords(file, 4)];
    assert.deepEqual(latest, [0, 3, 2, -1], 'the retried row counts by its later record; the torn one not at all');
    const seen: number[] = [];
    forEachLatestCase(file, 4, ({ i, row: r }) => { seen.push(i); if (i === 1) assert.equal(r.error, undefined); });
    assert.deepEqual(seen.sort(), [0, 1, 2]);
    assert.equal(readJournalHeader(file)?.runId, 'r1');
    assert.equal(recordedRowCount(latestRecords(file, 4)), 3, 'distinct rows, the retried one once');
    assert.equal(readJournalHeader(path.join(dir, 'none.jsonl')), undefined);
  });

  it('the streamed scan ends where a full read does at a garbled line in the middle, even one that is still JSON', async () => {
    const w = await CaseJournalWriter.open(file, header);
    w.append(0, row(0));
    w.append(1, row(1));
    w.close();
    // A line whose checksum is wrong but whose JSON parses, then valid records after it.
    fs.appendFileSync(file, `00000000 ${JSON.stringify({ t: 'case', i: 2, row: row(2), at: 1 })}\n`);
    fs.appendFileSync(file, encodeLine({ t: 'case', i: 3, row: row(3), at: 1 }) + encodeLine({ t: 'case', i: 0, row: row(0, true), at: 1 }));
    assert.deepEqual([...readCaseJournal(file).rows.keys()].sort(), [0, 1], 'a full read stops at the garbled line');
    const seen: number[] = [];
    forEachLatestCase(file, 4, ({ i, row: r }) => { seen.push(i); assert.equal(r.pass, true, `row ${i}: the record before the garbled line`); });
    assert.deepEqual(seen.sort(), [0, 1], 'so does the scan, though its second pass checks no checksum');
    assert.deepEqual([...latestRecords(file, 4)], [0, 1, -1, -1]);
  });

  it('a reopened writer finds where the valid records end by checksum as a full read does, across chunks, and writes no second header', async () => {
    assert.deepEqual(journalExtent(path.join(dir, 'none.jsonl')), { validEnd: 0, hasHeader: false });
    const w = await CaseJournalWriter.open(file, header);
    const big = 'x'.repeat(700);
    for (let i = 0; i < 3000; i++) w.append(i, { ...row(i), output: big }); // ~2.3 MB: three 1 MB chunks
    w.close();
    const whole = fs.statSync(file).size;
    assert.deepEqual(journalExtent(file), { validEnd: whole, hasHeader: true });
    fs.appendFileSync(file, '0badc0de {"t":"case","i":3000,"row":'); // torn tail
    assert.deepEqual(journalExtent(file), { validEnd: readCaseJournal(file).validEnd, hasHeader: true });
    const w2 = await CaseJournalWriter.open(file, header);
    w2.append(3000, row(3000));
    w2.close();
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('"t":"head"').length - 1, 1, 'one header');
    assert.equal(readCaseJournal(file).validEnd, text.length, 'the torn tail was cut');
    // A line whose checksum fails ends the journal there, for both.
    const lines = text.split('\n');
    lines[1500] = `00000000${lines[1500].slice(8)}`;
    fs.writeFileSync(file, lines.join('\n'));
    const end = readCaseJournal(file).validEnd;
    assert.equal(end, lines.slice(0, 1500).join('\n').length + 1);
    assert.deepEqual(journalExtent(file), { validEnd: end, hasHeader: true });
  });

  it('one writer at a time', async () => {
    const w = await CaseJournalWriter.open(file, header);
    await assert.rejects(CaseJournalWriter.open(file, header), (e: unknown) => e instanceof JournalBusyError && /is being run by pid \d+/.test((e as Error).message));
    w.close();
    (await CaseJournalWriter.open(file, header)).close();
  });
});

describe('run liveness', () => {
  const run = (status: Run['info']['status'], tags: Record<string, string>): Run => ({
    info: { runId: 'r', runName: 'r', experimentId: '0', status, startTime: 0, lifecycleStage: 'active' },
    data: { metrics: [], params: [], tags: Object.entries(tags).map(([key, value]) => ({ key, value })) },
  });
  const now = 1_000_000_000;
  const owned = (beat: number, host = 'here') => ({ [TAGS.ownerPid]: '42', [TAGS.ownerHost]: host, [TAGS.heartbeat]: String(beat), [TAGS.casesDone]: '7', [TAGS.casesTotal]: '10' });

  it('a RUNNING run whose pid died on this host is interrupted at once, with its cases done', () => {
    const v = runLiveness(run('RUNNING', owned(now)), { now, host: 'here', isAlive: () => false });
    assert.deepEqual({ state: v.state, done: (v as { done?: number }).done }, { state: 'interrupted', done: 7 });
    assert.equal(runLiveness(run('RUNNING', owned(now)), { now, host: 'here', isAlive: () => true }).state, 'running');
  });
  it('another host: interrupted only once its heartbeat is stale', () => {
    assert.equal(runLiveness(run('RUNNING', owned(now - 5000, 'there')), { now, host: 'here', isAlive: () => false }).state, 'running');
    assert.equal(runLiveness(run('RUNNING', owned(now - STALE_MS - 1, 'there')), { now, host: 'here' }).state, 'interrupted');
  });
  it('ended runs and runs without owner tags are never interrupted', () => {
    assert.equal(runLiveness(run('KILLED', owned(0)), { now }).state, 'ended');
    assert.equal(runLiveness(run('RUNNING', {}), { now }).state, 'running');
  });
});
