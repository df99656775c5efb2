// prompt-ledger compare, eval --baseline (run id and prompt@alias) and runs --experiment/--filter,
// in process on the embedded store with the echo model (its output is the rendered prompt).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { evalCommand, type CliIo } from '../../src/cli/evalCommand';
import { compareCommand } from '../../src/cli/compareCommand';
import { runsCommand } from '../../src/cli/runsCommand';
import { promptCommand } from '../../src/cli/promptCommand';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('cli: compare, eval --baseline, runs --experiment/--filter', () => {
  let dir: string;
  let out: ReturnType<typeof capture>;
  let err: ReturnType<typeof capture>;
  let io: CliIo;
  const fresh = () => { out = capture(); err = capture(); io = { stdout: out.stream, stderr: err.stream, cwd: dir, env: {}, isTty: false }; };
  const prompt = (body: string) => fs.writeFileSync(path.join(dir, 'p.md'), `---\nname: echoer\n---\n${body}\n`);
  const runIdOf = (text: string) => /run=([0-9a-f]{32})/.exec(text)![1];
  let goodRun: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cli-compare-'));
    fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `w${i}`, vars: { word: `w${i}` } })).join('\n'));
    fs.writeFileSync(path.join(dir, 's.eval.yaml'), 'prompt: p.md\ndataset: cases.jsonl\nexperiment: echo-exp\nscorers:\n  - type: contains\n    value: "{{word}} "\n');
    prompt('Echo {{ word }} .');
    fresh();
    assert.equal(await evalCommand(['s.eval.yaml'], io), 0, err.text());
    goodRun = runIdOf(out.text());
    fresh();
    assert.equal(await promptCommand(['register', 'p.md', '--alias', 'production', '--note', 'baseline'], io), 0, err.text());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(fresh);

  it('eval --baseline prompt@alias passes a change within noise (1 of 30 cases flips) and writes PR Markdown', async () => {
    prompt("Echo {{ word | replace('w7', 'x7') }} .");
    assert.equal(await evalCommand(['s.eval.yaml', '--baseline', 'echoer@production', '--baseline-markdown', 'out/pr.md'], io), 0, out.text() + err.text());
    assert.match(out.text(), /Against baseline s · echo \(echoer@production, version 1\)/);
    assert.match(out.text(), /pass_rate\s+1\s+0\.967\s+−0\.0333\s+\[−0\.1, 0\]\s+within noise \(McNemar p=1\.000\)/);
    assert.match(out.text(), /No significant regression\./);
    const md = fs.readFileSync(path.join(dir, 'out/pr.md'), 'utf8');
    assert.match(md, /^### Prompt Ledger: s · echo \([0-9a-f]{7}\) vs baseline s · echo \([0-9a-f]{7}\) — ✅ no significant regression/);
    assert.match(md, /\| `pass_rate` \| 1 \| 0\.967 \| −0\.0333 \| \[−0\.1, 0\] \| ⚪ within noise/);
  });

  it('eval --baseline <run-id> fails (exit 1) on a significant regression, even when the suite has no thresholds', async () => {
    prompt('Echo nothing useful.');
    assert.equal(await evalCommand(['s.eval.yaml', '--baseline', goodRun], io), 1, err.text());
    assert.match(out.text(), /pass_rate\s+1\s+0\s+−1\s+\[−1, −1\]\s+worse/);
    assert.match(out.text(), /Significant regression: pass_rate, contains\/mean\./);
  });

  it('a baseline that cannot be found is refused before anything runs (exit 2)', async () => {
    assert.equal(await evalCommand(['s.eval.yaml', '--baseline', 'echoer@staging'], io), 2);
    assert.match(err.text(), /prompt 'echoer' has no alias 'staging' \(it has production → v1\)/);
    assert.equal(await evalCommand(['s.eval.yaml', '--baseline', 'nope@production'], io), 2);
    assert.match(err.text(), /no prompt 'nope' in the registry/);
    assert.equal(await evalCommand(['s.eval.yaml', '--baseline', 'not-a-run'], io), 2);
    assert.doesNotMatch(out.text(), /run=/);
  });

  it('compare <run> <run>: table, json and markdown; --fail-on-regression', async () => {
    fresh();
    await runsCommand(['--experiment', 'echo-exp', '--filter', 'metrics.pass_rate < 0.5', '--limit', '1'], io);
    const bad = out.text().split(/\s+/)[0];
    assert.match(bad, /^[0-9a-f]{32}$/);
    fresh();
    assert.equal(await compareCommand([goodRun, bad, '--output', 'json'], io), 0);
    const report = JSON.parse(out.text());
    assert.deepEqual([report.baseline.runId, report.candidate.runId, report.pairedCases], [goodRun, bad, 30]);
    assert.deepEqual(report.regressions, ['pass_rate', 'contains/mean']);
    assert.equal(report.significance[0].verdict, 'worse');
    fresh();
    assert.equal(await compareCommand([goodRun, bad, '--output', 'markdown', '--fail-on-regression'], io), 1);
    assert.match(out.text(), /❌ significant regression in `pass_rate`, `contains\/mean`/);
    fresh();
    assert.equal(await compareCommand([goodRun, bad], io), 0);
    assert.match(out.text(), /^baseline: {2}s · echo/);
    assert.equal(await compareCommand([goodRun], io), 2);
  });

  it('runs --experiment and --filter narrow the list; bad values exit 2 with the reason', async () => {
    assert.equal(await runsCommand(['--experiment', 'echo-exp'], io), 0);
    assert.equal(out.text().trim().split('\n').length, 3);
    fresh();
    assert.equal(await runsCommand(['--filter', 'metrics.pass_rate = 1'], io), 0);
    assert.equal(out.text().trim().split('\n').length, 1);
    assert.match(out.text(), new RegExp(goodRun));
    fresh();
    assert.equal(await runsCommand(['--filter', 'metrics.pass_rate <<< 1'], io), 2);
    assert.match(err.text(), /Invalid filter/);
    assert.equal(await runsCommand(['--experiment', 'missing-exp'], io), 2);
    assert.match(err.text(), /no experiment named 'missing-exp'/);
  });
});
