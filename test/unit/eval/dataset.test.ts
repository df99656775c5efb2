import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { loadDatasetFile, parseCsvCases, parseJsonl } from '../../../src/core/eval/dataset';
import { FileCaseList, openDatasetFile } from '../../../src/core/eval/datasetFile';
import { EvalSuiteError } from '../../../src/core/eval/diagnostics';

describe('eval datasets', () => {
  it('JSONL: vars objects, flat rows, blank lines, ids', () => {
    const cases = parseJsonl('{"vars": {"a": 1}, "expected": "x", "id": "one"}\n\n{"a": 2, "expected": "y"}\n', 'd.jsonl');
    assert.deepEqual(cases.map((c) => [c.id, c.vars, c.expected, c.source.line]), [['one', { a: 1 }, 'x', 1], ['2', { a: 2 }, 'y', 3]]);
  });

  it('JSONL: every bad line is reported with its line number', () => {
    try {
      parseJsonl('{"vars": {}}\n{"vars": {}\n[1]\n{"vars": 3}\n', '/x/d.jsonl');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof EvalSuiteError);
      assert.deepEqual(e.diagnostics.map((d) => d.line), [2, 3, 4]);
      assert.equal(e.diagnostics[0].file, '/x/d.jsonl');
      assert.match(e.diagnostics[0].message, /line 2 is not valid JSON/);
      assert.ok(e.diagnostics[0].hint);
    }
  });

  it('CSV: header row becomes vars, expected/id columns, quoted multi-line fields', () => {
    const cases = parseCsvCases('id,ticket,expected\na,"line one\nline two",bug\nb,"x, y",\n', 'd.csv');
    assert.deepEqual(cases.map((c) => [c.id, c.vars, c.expected, c.source.line]), [['a', { ticket: 'line one\nline two' }, 'bug', 2], ['b', { ticket: 'x, y' }, undefined, 4]]);
  });

  it('CSV: a ragged row is an error at its line', () => {
    assert.throws(() => parseCsvCases('a,b\n1,2\n3\n', 'd.csv'), (e: unknown) => e instanceof EvalSuiteError && e.diagnostics[0].line === 3);
  });

  it('hashes the raw bytes and supports limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-ds-'));
    const f = path.join(dir, 'd.jsonl');
    const text = '{"vars":{"n":1}}\n{"vars":{"n":2}}\n';
    fs.writeFileSync(f, text);
    const ds = loadDatasetFile(f, 1);
    assert.equal(ds.hash, createHash('sha256').update(text).digest('hex'));
    assert.equal(ds.cases.length, 1);
    assert.equal(ds.fileName, 'd.jsonl');
    assert.throws(() => loadDatasetFile(path.join(dir, 'd.txt')), /unsupported dataset format/);
    fs.rmSync(dir, { recursive: true });
  });

  describe('streamed for a run (openDatasetFile)', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-ds-stream-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('JSONL: the same cases as parsing the whole text, across 1 MB chunks, without keeping them', async () => {
      const f = path.join(dir, 'big.jsonl');
      const lines = ['\uFEFF{"vars":{"n":0}, "id": "first"}', '', '// a comment'];
      for (let i = 1; i < 6000; i++) lines.push(JSON.stringify({ vars: { n: i, pad: 'x'.repeat(i % 400) }, expected: `e${i}` }));
      const text = `${lines.join('\r\n')}\n{"vars":{"n":"last"}}`; // CRLF, and no newline at the end
      fs.writeFileSync(f, text);
      const ds = await openDatasetFile(f);
      assert.ok(ds.cases instanceof FileCaseList, 'a JSONL file is streamed, not loaded');
      assert.equal(ds.hash, createHash('sha256').update(text).digest('hex'));
      const whole = parseJsonl(text, f);
      assert.equal(ds.cases.length, whole.length);
      assert.deepEqual([...ds.cases], whole, 'every case, with its index, id and line');
      assert.deepEqual(ds.cases.at(3000), whole[3000], 'random access reads the one case back');
      assert.deepEqual(ds.variables, ['n', 'pad']);
      assert.equal(ds.hasExpectations, true);
      assert.equal(Buffer.from(ds.snapshot()).toString('utf8'), text);
      assert.equal((await openDatasetFile(f, 2)).cases.length, 2);
      assert.equal((await openDatasetFile(f, 2)).hash, ds.hash, 'the hash is of the whole file even with a limit');
    });

    it('JSONL errors keep their file:line', async () => {
      const f = path.join(dir, 'bad.jsonl');
      fs.writeFileSync(f, '{"vars": {}}\n\n{"vars": 3}\n');
      await assert.rejects(openDatasetFile(f), (e: unknown) => e instanceof EvalSuiteError && e.diagnostics[0].line === 3 && e.diagnostics[0].file === f);
    });

    it('CSV through csv-parse\'s stream: quoted newlines, blank lines, CRLF, the same cases and lines', async () => {
      const f = path.join(dir, 'd.csv');
      const rows = ['\uFEFFid,ticket,expected', 'a,"line one\r\nline two",bug', '', 'b,"x, y",'];
      for (let i = 0; i < 3000; i++) rows.push(`c${i},"t ${i} ${'y'.repeat(i % 300)}",e${i}`);
      const text = rows.join('\r\n');
      fs.writeFileSync(f, text);
      const ds = await openDatasetFile(f);
      const whole = parseCsvCases(text, f);
      assert.equal(ds.cases.length, whole.length);
      assert.deepEqual([...ds.cases], whole);
      assert.deepEqual(ds.cases.at(0), whole[0]);
      assert.deepEqual(ds.cases.at(2500), whole[2500]);
      assert.equal((ds.cases as FileCaseList).lineText(1), 'id,ticket,expected', 'the header line, for column pointers');
      fs.writeFileSync(path.join(dir, 'short.csv'), 'a,b\n1,2\n3\n');
      await assert.rejects(openDatasetFile(path.join(dir, 'short.csv')), (e: unknown) => e instanceof EvalSuiteError && e.diagnostics[0].line === 3);
    });

    it('refuses a dataset that changed on disk after it was opened', async () => {
      const f = path.join(dir, 'd.jsonl');
      fs.writeFileSync(f, '{"vars":{"n":1}}\n{"vars":{"n":2}}\n');
      const ds = await openDatasetFile(f);
      fs.writeFileSync(f, '{"vars":{"n":1}}\n{"vars":{"n":22}}\n');
      assert.throws(() => ds.cases.at(1), /changed on disk during the run/);
      assert.throws(() => ds.snapshot(), /changed on disk during the run/);
    });
  });
});
