import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { validateCommand } from '../../src/cli/validateCommand';
import { evalCommand, type CliIo } from '../../src/cli/evalCommand';
import { runsCommand } from '../../src/cli/runsCommand';

const CORPUS = path.resolve(__dirname, '../fixtures/validation');

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('cli: prompt-ledger validate, and eval refusing to spend on errors', () => {
  let out: ReturnType<typeof capture>;
  let err: ReturnType<typeof capture>;
  const io = (cwd: string): CliIo => ({ stdout: out.stream, stderr: err.stream, cwd, env: {}, isTty: false });
  beforeEach(() => { out = capture(); err = capture(); });

  it('errors exit 2 and print file:line:col relative to the working folder', async () => {
    assert.equal(await validateCommand(['csv.eval.yaml'], io(CORPUS)), 2);
    const lines = out.text().trim().split('\n');
    assert.equal(lines[0], 'data/tickets.csv:1:20: warning: `comment` is not used by the prompt or any scorer (fix: remove it, or use it: {{ comment }} in the template or a scorer value)');
    assert.match(lines[1], /^data\/tickets\.csv:5:1: error: case a: the id `a` is used again \(first at line 2\)/);
    assert.equal(lines.at(-1), 'csv.eval.yaml: 4 cases · 3 problems (2 errors, 1 warning)');
  });

  it('warnings pass, and fail with --strict (exit 1)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-validate-cli-'));
    fs.writeFileSync(path.join(dir, 'p.md'), 'Echo {{ word }}');
    fs.writeFileSync(path.join(dir, 'd.jsonl'), '{"word": "a"}\n{"word": "a"}\n');
    fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.md\ndataset: d.jsonl\nscorers: [{type: contains, value: "{{word}}"}]\n');
    assert.equal(await validateCommand(['s.eval.yaml'], io(dir)), 0);
    assert.match(out.text(), /d\.jsonl:2:1: warning: case 2: the same vars as case 1 \(line 1\)/);
    assert.equal(await validateCommand(['s.eval.yaml', '--strict'], io(dir)), 1);
    assert.equal(await validateCommand(['s.eval.yaml', '--output', 'json'], io(dir)), 0);
  });

  it('--output json lists every problem with its code', async () => {
    assert.equal(await validateCommand(['jsonl.eval.yaml', 'inline.eval.yaml', '--output', 'json'], io(CORPUS)), 2);
    const reports = JSON.parse(out.text());
    assert.deepEqual(reports.map((r: { suiteFile: string; caseCount: number; errors: number }) => [r.suiteFile, r.caseCount, r.errors]), [['jsonl.eval.yaml', 12, 5], ['inline.eval.yaml', 3, 1]]);
    assert.ok(reports[0].problems.some((p: { code: string; file: string; line: number }) => p.code === 'input-type' && p.file === 'data/cases.jsonl' && p.line === 7));
  });

  it('bad flags exit 2 with the usage', async () => {
    assert.equal(await validateCommand([], io(CORPUS)), 2);
    assert.equal(await validateCommand(['x.eval.yaml', '--output', 'xml'], io(CORPUS)), 2);
    assert.match(err.text(), /Usage: prompt-ledger validate/);
  });

  it('eval refuses a dataset with errors before creating a run; --no-validate runs it anyway', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-validate-eval-'));
    fs.cpSync(CORPUS, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'csv.eval.yaml'), fs.readFileSync(path.join(dir, 'csv.eval.yaml'), 'utf8').replace('type: equals', 'type: contains\n    value: Login'));
    fs.writeFileSync(path.join(dir, 'data/tickets.csv'), 'id,ticket\na,Login fails\na,Login again\n');
    assert.equal(await evalCommand(['csv.eval.yaml'], io(dir)), 2);
    assert.match(err.text(), /data\/tickets\.csv:3:1: error: case a: the id `a` is used again/);
    assert.match(err.text(), /nothing was sent; fix the errors above or pass --no-validate/);
    out = capture();
    assert.equal(await runsCommand([], io(dir)), 0);
    assert.match(out.text(), /^No runs in /, 'no run was created');
    out = capture(); err = capture();
    assert.equal(await evalCommand(['csv.eval.yaml', '--no-validate'], io(dir)), 0, err.text());
    assert.match(out.text(), /csv\.eval\.yaml · echo: FINISHED PASS/);
  });
});
