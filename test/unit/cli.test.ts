import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { evalCommand, type CliIo } from '../../src/cli/evalCommand';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('cli', () => {
  it('prints its version', async () => {
    assert.equal(await main(['--version']), 0);
  });
  it('exits 2 on an unknown command', async () => {
    assert.equal(await main(['frobnicate']), 2);
  });
  it('lists every command it dispatches in its help', async () => {
    const source = fs.readFileSync(path.join(__dirname, '../../src/cli/main.ts'), 'utf8');
    const dispatched = [...source.matchAll(/if \(command === '([a-z]+)'\) return/g)].map((m) => m[1]);
    assert.ok(dispatched.length >= 9, `found ${dispatched.length} commands`);
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stdout.write;
    try { assert.equal(await main(['--help']), 0); } finally { process.stdout.write = write; }
    for (const c of dispatched) assert.match(written.join(''), new RegExp(`^  ${c} `, 'm'), `'${c}' is missing from --help`);
  });

  describe('eval', () => {
    let dir: string;
    let out: ReturnType<typeof capture>;
    let err: ReturnType<typeof capture>;
    let io: CliIo;
    const suite = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cli-'));
      fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: p\n---\nEcho {{ word }}\n');
      fs.writeFileSync(path.join(dir, 'cases.jsonl'), ['alpha', 'beta', 'gamma', 'delta'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n'));
      suite('ok.eval.yaml', 'prompt: p.md\ndataset: cases.jsonl\nscorers:\n  - type: contains\n    value: "{{word}}"\n  - type: not-contains\n    value: gamma\nthresholds:\n  pass_rate: 0.7\n');
      out = capture();
      err = capture();
      io = { stdout: out.stream, stderr: err.stream, cwd: dir, env: {}, isTty: false };
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('exits 0 when thresholds hold and logs to the embedded store', async () => {
      assert.equal(await evalCommand(['ok.eval.yaml'], io), 0, err.text());
      assert.match(out.text(), /ok\.eval\.yaml · echo: FINISHED PASS {2}pass_rate=0\.750/);
      assert.match(out.text(), /case gamma: not-contains/);
      assert.ok(fs.existsSync(path.join(dir, '.promptledger')));
    });

    it('exits 1 below --min-pass-rate and writes JUnit', async () => {
      assert.equal(await evalCommand(['ok.eval.yaml', '--min-pass-rate', '0.9', '--output', 'junit', '--output-file', 'reports/junit.xml'], io), 1);
      const xml = fs.readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8');
      assert.match(xml, /<testsuites name="prompt-ledger" tests="5" failures="2" errors="0">/);
      assert.match(xml, /<testcase classname="ok\.eval\.yaml · echo" name="gamma" time="[\d.]+"><failure message="not-contains: not: output contains &quot;gamma&quot;">/);
      assert.match(xml, /name="threshold pass_rate"[^>]*><failure/);
    });

    it('writes JSON to stdout with progress on stderr', async () => {
      assert.equal(await evalCommand(['ok.eval.yaml', '--output', 'json'], io), 0);
      const report = JSON.parse(out.text());
      assert.equal(report.passed, true);
      const run = report.suites[0].runs[0];
      assert.equal(run.metrics.pass_rate, 0.75);
      assert.equal(run.cases.length, 4);
      assert.match(err.text(), /ok\.eval\.yaml 4\/4/);
    });

    it('exits 2 with file:line for a bad suite, a bad dataset line or bad flags', async () => {
      suite('bad.eval.yaml', 'prompt: p.md\ndataset: cases.jsonl\nscorers:\n  - type: contians\n');
      assert.equal(await evalCommand(['bad.eval.yaml'], io), 2);
      assert.match(err.text(), /^bad\.eval\.yaml:4:11: error: unknown scorer type `contians` \(fix: did you mean `contains`\?\)/m);

      fs.writeFileSync(path.join(dir, 'broken.jsonl'), '{"vars": {"word": "a"}}\n{"vars": \n');
      suite('ds.eval.yaml', 'prompt: p.md\ndataset: broken.jsonl\nscorers:\n  - type: contains\n    value: a\n');
      assert.equal(await evalCommand(['ds.eval.yaml'], io), 2);
      assert.match(err.text(), /^broken\.jsonl:2:\d+: error: line 2 is not valid JSON/m);

      assert.equal(await evalCommand(['ok.eval.yaml', '--output', 'xml'], io), 2);
      assert.equal(await evalCommand([], io), 2);
      assert.equal(await evalCommand(['ok.eval.yaml', '--bogus'], io), 2);
    });
  });
});
