import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateSuiteFile, assertSuiteDataValid, DatasetValidationError } from '../../../src/core/eval/validation/validateSuite';
import { checkInputType } from '../../../src/core/eval/validation/inputTypes';
import { contextWindowOf } from '../../../src/core/eval/validation/contextWindows';
import { reportSummary } from '../../../src/core/eval/validation/problems';
import { loadSuite, loadSuiteDataset } from '../../../src/core/eval/suiteLoader';
import type { EvalCase } from '../../../src/core/eval/dataset';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import { checkDataset } from '../../../src/core/eval/validation/datasetChecks';
import { FileCaseList } from '../../../src/core/eval/datasetFile';
import { planSuite } from '../../../src/core/eval/runPlan';
import { NOT_RENDERED } from '../../../src/core/eval/costEstimate';
import { renderCase } from '../../../src/core/prompts/render';
import { estimateMessageTokens } from '../../../src/core/providers/tokenEstimate';

const CORPUS = path.resolve(__dirname, '../../fixtures/validation');

function expectedProblems(): string[] {
  return fs.readFileSync(path.join(CORPUS, 'expected-problems.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).sort();
}

function found(suite: string): string[] {
  const r = validateSuiteFile(path.join(CORPUS, suite));
  return r.problems.map((p) => `${path.relative(CORPUS, p.file)}:${p.line}:${p.column} ${p.severity} ${p.code}`);
}

describe('dataset validation (validate before spending)', () => {
  it('finds every problem of the corpus at its file, line and column, and nothing else', () => {
    const all = ['jsonl.eval.yaml', 'csv.eval.yaml', 'inline.eval.yaml'].flatMap(found).sort();
    assert.deepEqual(all, expectedProblems());
  });

  it('counts cases and problems for the CodeLens', () => {
    const r = validateSuiteFile(path.join(CORPUS, 'csv.eval.yaml'));
    assert.equal(reportSummary(r), '4 cases · 3 problems');
    assert.deepEqual([r.errors, r.warnings], [2, 1]);
    assert.equal(reportSummary({ caseCount: 1, problems: [] }), '1 case · no problems');
  });

  it('the examples validate clean', () => {
    for (const f of ['summarize.eval.yaml', 'classify.eval.yaml']) {
      const r = validateSuiteFile(path.resolve(__dirname, '../../../examples', f));
      assert.deepEqual(r.problems, [], f);
      assert.ok(r.caseCount > 0);
    }
  });

  it('suite and dataset parse errors come back as problems instead of throwing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-validate-'));
    fs.writeFileSync(path.join(dir, 'p.md'), 'Hi {{ name }}');
    fs.writeFileSync(path.join(dir, 'd.jsonl'), '{"name": "a"}\n{"name": \n');
    fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.md\ndataset: d.jsonl\nscorers: [{type: contains, value: a}]\n');
    const r = validateSuiteFile(path.join(dir, 's.eval.yaml'));
    assert.deepEqual(r.problems.map((p) => [path.basename(p.file), p.line, p.code]), [['d.jsonl', 2, 'dataset']]);
    fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.md\ndatset: d.jsonl\n');
    assert.equal(validateSuiteFile(path.join(dir, 's.eval.yaml')).problems[0].code, 'suite');
  });

  it('reads unsaved editor text instead of the disk when given', () => {
    const suite = path.join(CORPUS, 'csv.eval.yaml');
    const csv = path.join(CORPUS, 'data/tickets.csv');
    const r = validateSuiteFile(suite, { readText: (f) => (f === csv ? 'id,ticket,expected\na,x,bug\n' : undefined) });
    assert.deepEqual([r.caseCount, r.problems.length], [1, 0]);
  });

  it('the runner gate throws on errors, listing warnings too, and passes warnings-only data', () => {
    const suite = loadSuite(path.join(CORPUS, 'jsonl.eval.yaml'));
    const prompts = suite.promptPaths.map((p) => parsePromptFile(fs.readFileSync(p, 'utf8'), p));
    assert.throws(() => assertSuiteDataValid(suite, loadSuiteDataset(suite), prompts), (e: unknown) => {
      assert.ok(e instanceof DatasetValidationError);
      assert.ok(e.problems.some((p) => p.severity === 'warning'));
      assert.match(e.message, /cases\.jsonl:3:1: error: case no-topic: no value for `topic`/);
      return true;
    });
    const inline = loadSuite(path.join(CORPUS, 'inline.eval.yaml'));
    const ds = loadSuiteDataset(inline);
    (ds.cases as EvalCase[]).splice(1, 1); // (inline cases are an array) drop the row with the error: duplicates remain (a warning)
    assert.doesNotThrow(() => assertSuiteDataValid(inline, ds, inline.promptPaths.map((p) => parsePromptFile(fs.readFileSync(p, 'utf8'), p))));
  });

  it('a row that lacks a variable is an error even when the prompt\'s sample has one (the run would use the sample\'s value)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-validate-sample-'));
    try {
      fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: greet\nsample:\n  tone: friendly\n---\nsystem:\nBe {{tone}}.\n\nuser:\nHello {{name}}\n');
      fs.writeFileSync(path.join(dir, 'cases.jsonl'), '{"id":"a","vars":{"name":"Ada"}}\n{"id":"b","vars":{"tone":"curt"}}\n');
      fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.prompty\ndataset: cases.jsonl\nmodels:\n  - provider: echo\n');
      const r = validateSuiteFile(path.join(dir, 's.eval.yaml'));
      const missing = r.problems.filter((p) => p.code === 'missing-variable');
      assert.deepEqual(missing.map((p) => [p.line, p.message]), [
        [1, 'case a: no value for `tone`, which the template needs'],
        [2, 'case b: no value for `name`, which the template needs'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the cost estimate each row\'s tokens only where its render is the run\'s (vars over the sample)', () => {
    const file = path.join(os.tmpdir(), 'tone.prompty');
    const prompt = parsePromptFile('---\nname: tone\nsample:\n  tone: friendly\ninputs:\n  tone:\n    type: string\n    default: neutral\n  name:\n    type: string\n---\nsystem:\nBe {{tone}}.\n\nuser:\nHello {{name}}\n', file);
    const at = (index: number, vars: Record<string, unknown>): EvalCase => ({ id: String(index), index, vars, source: { file: 'cases.jsonl', line: index + 1 } });
    const cases = [at(0, { name: 'Ada' }), at(1, { name: 'Bo', tone: 'curt' }), at(2, {})];
    const tokens = [new Uint32Array(3)];
    checkDataset({ cases, format: 'jsonl', prompts: [prompt], scorers: [], models: [], inputTokens: tokens });
    // Row 0 lacks the sample's key (the check renders the default, the run the sample); row 2 does not render.
    assert.deepEqual([...tokens[0]], [NOT_RENDERED, estimateMessageTokens(renderCase(prompt, cases[1].vars).messages), NOT_RENDERED]);
  });

  it('the run checks its rows as it reads the file, finding what the editor finds, without reading any row back', async () => {
    const at = FileCaseList.prototype.at;
    let readBack = 0;
    FileCaseList.prototype.at = function (this: FileCaseList, i: number) { readBack++; return at.call(this, i); };
    try {
      for (const name of ['jsonl.eval.yaml', 'csv.eval.yaml', 'inline.eval.yaml']) {
        const file = path.join(CORPUS, name);
        const editor = validateSuiteFile(file).problems.filter((p) => p.code !== 'suite');
        readBack = 0;
        const err = await planSuite(loadSuite(file), { trusted: true, workspaceRoot: CORPUS }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof DatasetValidationError, name);
        const key = (p: { file: string; line: number; column: number; code: string; message: string }) => `${path.relative(CORPUS, p.file)}:${p.line}:${p.column} ${p.code} ${p.message}`;
        assert.deepEqual(err.problems.map(key), editor.map(key), name);
        // Only the row whose prompt is long enough to report is read back (the second pass), and the lines problems point at.
        if (name === 'jsonl.eval.yaml') assert.ok(readBack <= 12, `${readBack} rows read back`);
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-validate-once-'));
      try {
        fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: q\n---\nuser:\nWhat is {{topic}}?\n');
        fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { topic: `t${i}` } })).join('\n'));
        fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.prompty\ndataset: cases.jsonl\nmodels:\n  - provider: echo\n');
        readBack = 0;
        const plan = await planSuite(loadSuite(path.join(dir, 's.eval.yaml')), { trusted: true, workspaceRoot: dir });
        assert.equal(readBack, 0, 'a clean dataset is parsed once, while it is read');
        assert.equal(plan.runs[0].prompt.inputTokens?.length, 200, 'the estimate gets every row\'s tokens');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      FileCaseList.prototype.at = at;
    }
  });

  it('a later row\'s own scorers count for the rows before it (blank values, unused columns)', () => {
    const prompt = parsePromptFile('---\nname: q\n---\nuser:\nWhat is {{topic}}?\n', path.join(os.tmpdir(), 'q.prompty'));
    const row = (index: number, vars: Record<string, unknown>, assert?: EvalCase['assert']): EvalCase => ({ id: `r${index}`, index, vars, assert, expected: 'x', source: { file: 'cases.jsonl', line: index + 1 } });
    const codes = (cases: EvalCase[]) => checkDataset({ cases, format: 'jsonl', prompts: [prompt], scorers: [], models: [] }).map((p) => `${p.line} ${p.code}`);
    // `note` is blank in row 1 and used by no one: an unused column, and its blank value does not matter.
    assert.deepEqual(codes([row(0, { topic: 'a', note: '' }), row(1, { topic: 'b', note: 'n' })]), ['1 unused-column']);
    // Row 2's scorer reads {{note}}: the column is used, so row 1's blank note is worth a warning.
    assert.deepEqual(codes([row(0, { topic: 'a', note: '' }), row(1, { topic: 'b', note: 'n' }, [{ type: 'contains', value: '{{note}}' }])]), ['1 blank-value']);
  });

  it('input types: booleans must be booleans (CSV text too), numbers may be numeric CSV text', () => {
    assert.equal(checkInputType('f', 'boolean', true, false), undefined);
    assert.equal(checkInputType('f', 'bool', 'false', false)?.severity, 'error');
    assert.match(checkInputType('f', 'boolean', 'true', true)!.hint, /CSV cells are text/);
    assert.equal(checkInputType('n', 'integer', '4', true), undefined);
    assert.equal(checkInputType('n', 'integer', '4.5', true)?.severity, 'error');
    assert.equal(checkInputType('n', 'number', 'four', false)?.severity, 'error');
    assert.equal(checkInputType('s', 'string', { a: 1 }, false)?.severity, 'error');
    assert.equal(checkInputType('l', 'array', ['a'], false), undefined);
    assert.equal(checkInputType('x', 'image', 'whatever', false), undefined);
  });

  it('context windows by longest prefix', () => {
    assert.equal(contextWindowOf('gpt-4o-mini-2024-07-18'), 128_000);
    assert.equal(contextWindowOf('gpt-4'), 8_192);
    assert.equal(contextWindowOf('claude-sonnet-4-5'), 200_000);
    assert.equal(contextWindowOf('my-local-llama'), undefined);
  });
});
