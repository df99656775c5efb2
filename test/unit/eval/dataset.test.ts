import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { loadDatasetFile, parseCsvCases, parseJsonl } from '../../../src/core/eval/dataset';
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
});
