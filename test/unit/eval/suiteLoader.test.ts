import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSuite, validateSuiteText, loadSuite, loadSuiteDataset } from '../../../src/core/eval/suiteLoader';
import { EvalSuiteError } from '../../../src/core/eval/diagnostics';

describe('eval suite loader', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-suite-'));
    fs.mkdirSync(path.join(dir, 'prompts'));
    fs.writeFileSync(path.join(dir, 'prompts', 'p.md'), '---\nname: p\n---\nSay {{ text }}\n');
    fs.writeFileSync(path.join(dir, 'cases.jsonl'), '{"vars": {"text": "hi"}}\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, 'demo.eval.yaml');
  const diags = (text: string) => validateSuiteText(text, file());

  it('loads a valid suite with defaults', () => {
    const s = parseSuite('prompt: prompts/p.md\ndataset: cases.jsonl\nscorers:\n  - type: contains\n    value: hi\n', file());
    assert.equal(s.name, 'demo');
    assert.equal(s.experiment, 'demo');
    assert.deepEqual(s.spec.models, [{ provider: 'echo' }]);
    assert.deepEqual(s.promptPaths, [path.join(dir, 'prompts', 'p.md')]);
    assert.equal(s.scorers[0].scorer.name, 'contains');
    assert.equal(loadSuiteDataset(s).cases.length, 1);
  });

  it('reports unknown keys with line, column and a did-you-mean hint', () => {
    const d = diags('prompt: prompts/p.md\ndatset: cases.jsonl\n');
    const unknown = d.find((x) => x.message.includes('unknown key `datset`'))!;
    assert.deepEqual([unknown.line, unknown.column, unknown.severity], [2, 1, 'error']);
    assert.match(unknown.hint!, /did you mean `dataset`/);
    assert.ok(d.some((x) => x.message === 'missing `dataset`'));
  });

  it('points at bad values inside lists', () => {
    const text = [
      'prompt: prompts/p.md', 'dataset: cases.jsonl', 'models:', '  - provider: opena', '    model: x',
      'scorers:', '  - type: contains', '    value: a', '  - type: regx', '    value: b', 'thresholds:', '  pass_rate: 1.5',
    ].join('\n');
    const d = diags(text);
    const byLine = new Map(d.map((x) => [x.line, x]));
    assert.match(byLine.get(4)!.message, /unknown provider `opena`/);
    assert.equal(byLine.get(4)!.column, 15);
    assert.match(byLine.get(9)!.hint!, /did you mean `regex`/);
    assert.match(byLine.get(12)!.message, /pass_rate/);
  });

  it('reports missing files and scorer configuration at their value', () => {
    const d = diags('prompt: prompts/nope.md\ndataset: data.csv\nscorers:\n  - type: regex\n    value: "(["\n');
    assert.deepEqual(d.map((x) => [x.line, x.column]), [[1, 9], [2, 10], [5, 12]]);
    assert.match(d[0].message, /prompt file not found/);
    assert.match(d[1].message, /dataset file not found/);
    assert.match(d[2].message, /invalid regular expression/);
  });

  it('reports YAML syntax errors with positions', () => {
    const d = diags('prompt: [a\nfoo: : x\n');
    assert.ok(d.length > 0);
    assert.ok(d.every((x) => x.severity === 'error' && x.line >= 1 && x.message.startsWith('YAML')));
  });

  it('throws EvalSuiteError from loadSuite with the file named', () => {
    fs.writeFileSync(file(), 'prompt: 3\n');
    assert.throws(() => loadSuite(file()), (e: unknown) => e instanceof EvalSuiteError && e.file === file() && /demo\.eval\.yaml:1:9/.test(e.message));
  });

  it('warns (not fails) on thresholds naming no metric, and on no scorers', () => {
    const s = parseSuite('prompt: prompts/p.md\ndataset: cases.jsonl\nthresholds:\n  contians: 0.5\n', file());
    assert.equal(s.warnings.length, 2);
    assert.ok(s.warnings.every((w) => w.severity === 'warning'));
    assert.ok(s.warnings.some((w) => w.line === 4 && /contians/.test(w.message)));
  });

  it('parses inline cases with their lines and per-case scorers', () => {
    const s = parseSuite([
      'prompt: prompts/p.md', 'dataset:', '  cases:', '    - vars: {text: a}', '      expected: a',
      '    - id: second', '      vars: {text: b}', '      assert:', '        - type: equals', '          value: b',
    ].join('\n'), file());
    const ds = loadSuiteDataset(s);
    assert.equal(ds.format, 'inline');
    assert.deepEqual(Array.from(ds.cases, (c) => [c.id, c.source.line]), [['1', 4], ['second', 6]]);
    assert.equal(ds.cases.at(1)!.assert![0].type, 'equals');
    assert.match(ds.hash, /^[0-9a-f]{64}$/);
  });

  it('de-duplicates scorer names and honours metric names', () => {
    const s = parseSuite('prompt: prompts/p.md\ndataset: cases.jsonl\nassert:\n  - type: contains\n    value: a\n  - type: contains\n    value: b\n  - type: pii\n    metric: privacy\n', file());
    assert.deepEqual(s.scorers.map((x) => x.scorer.name), ['contains', 'contains_2', 'privacy']);
  });
});
