// Prompt blame over a real git repository and runs in the embedded store: each line's commit, the
// pass-rate change that commit caused on the suite, and the versions that still need a run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, type TestRepo } from '../../helpers/gitRepo';
import { recordEvalRun } from '../../helpers/evalRunRecords';
import { promptBlame, NotInGitError } from '../../../src/core/blame/promptBlame';
import { blameCliRow, blameInlineText } from '../../../src/core/blame/blameText';
import { parseBlamePorcelain } from '../../../src/core/blame/blamePorcelain';
import { blameCommand } from '../../../src/cli/blameCommand';
import { normalizedContentHash } from '../../../src/core/prompts/contentHash';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { TrackingStore } from '../../../src/core/tracking/types';

const V1 = 'system:\nAnswer briefly.\n\nuser:\n{{ q }}\n';
const V2 = 'system:\nAnswer briefly.\nCite a source.\n\nuser:\n{{ q }}\n';
const V3 = 'system:\nAnswer in one word.\nCite a source.\n\nuser:\n{{ q }}\n';

describe('prompt blame', () => {
  let repo: TestRepo;
  let store: TrackingStore;
  let exp: string;
  const c: string[] = [];
  const file = () => path.join(repo.dir, 'p.prompty');
  before(async () => {
    repo = makeRepo();
    for (const [i, text] of [V1, V2, V3].entries()) {
      repo.write('p.prompty', text);
      c.push(repo.commit(`v${i + 1}: ${['first', 'cite sources', 'one word'][i]}`));
    }
    store = await openEmbeddedStore(path.join(repo.dir, '.promptledger'));
    exp = await store.ensureExperiment('p');
    const run = (text: string, passRate: number, extra: object = {}) => recordEvalRun(store, exp, { relPath: 'p.prompty', promptHash: normalizedContentHash(text), passRate, ...extra });
    await run(V1, 0.5, { startTime: 1000 });
    await run(V2, 0.88, { startTime: 2000 });
    await run(V2, 0.1, { startTime: 3000, partial: '2/10' }); // partial: never counted
    await run(V2, 0.2, { startTime: 3000, suite: 'other.eval.yaml' }); // another suite: not mixed in
  });
  after(async () => { await store.close(); repo.cleanup(); });

  it('gives each line its commit and the pass-rate change that commit caused', async () => {
    const b = await promptBlame(store, { file: file(), relPath: 'p.prompty' });
    assert.equal(b.suite, 'p.eval.yaml', 'the suite with the most runs');
    const at = (n: number) => b.lines[n - 1];
    assert.equal(b.lines.length, 6);
    assert.equal(at(1).commit?.commit, c[0]);
    assert.equal(at(1).status, 'first-version');
    assert.equal(blameInlineText(at(1)), `${c[0].slice(0, 7)} · pass 50 % · first version`);
    assert.equal(at(3).commit?.commit, c[1], '"Cite a source." came with v2');
    assert.equal(at(3).status, 'measured');
    assert.equal(at(3).delta, 38);
    assert.equal(blameInlineText(at(3)), `${c[1].slice(0, 7)} · pass 88 % ▲38`);
    assert.equal(at(3).before?.commit, c[0]);
    assert.equal(at(3).commit?.subject, 'v2: cite sources');
    assert.equal(at(2).commit?.commit, c[2]);
    assert.equal(at(2).status, 'not-evaluated');
    assert.equal(blameInlineText(at(2)), `${c[2].slice(0, 7)} · not evaluated`);
    assert.deepEqual(b.missing.map((m) => m.commit), [c[2]], 'v3 is the only version without a run');
  });

  it('a drop reads ▼ and the chosen suite is kept apart from the others', async () => {
    const b = await promptBlame(store, { file: file(), relPath: 'p.prompty', suite: 'other.eval.yaml' });
    // In other.eval.yaml only v2 was run: its lines have no run before them.
    assert.equal(b.lines[2].status, 'parent-not-evaluated');
    assert.equal(blameInlineText(b.lines[2]), `${c[1].slice(0, 7)} · pass 20 % · before: not evaluated`);
    assert.deepEqual(new Set(b.missing.map((m) => m.commit)), new Set([c[0], c[2]]));
    await recordEvalRun(store, exp, { relPath: 'p.prompty', promptHash: normalizedContentHash(V3), passRate: 0.75, startTime: 4000 });
    const after = await promptBlame(store, { file: file(), relPath: 'p.prompty' });
    assert.equal(blameInlineText(after.lines[1]), `${c[2].slice(0, 7)} · pass 75 % ▼13`);
    assert.deepEqual(after.missing, []);
    assert.match(blameCliRow(after.lines[1], 2), /^ 2 {2}[0-9a-f]{7} {2}▼13 +pass 75 % ▼13 +│ Answer in one word\.$/);
  });

  it('unsaved editor text: edited lines are not committed yet, the rest keep their commits', async () => {
    const edited = V3.replace('{{ q }}', 'Question: {{ q }}');
    const b = await promptBlame(store, { file: file(), relPath: 'p.prompty', contents: edited });
    assert.equal(b.lines[5].status, 'uncommitted');
    assert.equal(blameInlineText(b.lines[5]), 'not committed yet');
    assert.equal(b.lines[2].commit?.commit, c[1]);
  });

  it('finds a run of the same text recorded under another path (a rename) by its content hash', async () => {
    const renamed = makeRepo();
    try {
      renamed.write('p.prompty', V1);
      renamed.commit('v1');
      renamed.write('p.prompty', V2);
      const v2 = renamed.commit('v2');
      await recordEvalRun(store, exp, { relPath: 'old/p.prompty', promptHash: normalizedContentHash(V2), passRate: 0.88, startTime: 5000 });
      const b = await promptBlame(store, { file: path.join(renamed.dir, 'p.prompty'), relPath: 'p.prompty' });
      assert.equal(b.lines[2].commit?.commit, v2);
      assert.equal(b.lines[2].after?.run?.passRate, 0.88);
    } finally { renamed.cleanup(); }
  });

  it('an untracked file is all uncommitted; a file outside git is a clear error', async () => {
    repo.write('new.prompty', 'user:\nhi\n');
    const b = await promptBlame(store, { file: path.join(repo.dir, 'new.prompty'), relPath: 'new.prompty', contents: 'user:\nhi\n' });
    assert.deepEqual(b.lines.map((l) => l.status), ['uncommitted', 'uncommitted']);
    const plain = makeRepo({ init: false });
    try {
      fs.writeFileSync(path.join(plain.dir, 'x.prompty'), 'hi\n');
      await assert.rejects(promptBlame(store, { file: path.join(plain.dir, 'x.prompty'), relPath: 'x.prompty' }), (e: Error) => e instanceof NotInGitError && /x\.prompty is not in a git repository/.test(e.message));
    } finally { plain.cleanup(); }
  });

  it('parses porcelain where a commit\'s fields appear only once', () => {
    const a = 'a'.repeat(40);
    const out = `${a} 1 1 2\nauthor Ann\nauthor-mail <ann@x>\nauthor-time 0\nsummary first\nfilename p\n\tline one\n${a} 2 2\n\tline two\n`;
    const p = parseBlamePorcelain(out);
    assert.deepEqual(p.lines.map((l) => [l.line, l.commit, l.text]), [[1, a, 'line one'], [2, a, 'line two']]);
    assert.equal(p.commits.get(a)?.authorMail, 'ann@x');
    assert.equal(p.commits.get(a)?.previous, undefined);
  });
});

describe('prompt-ledger blame (CLI)', () => {
  it('prints one row per line with its commit and change, then the versions to evaluate; --json has the same', async () => {
    const repo = makeRepo();
    try {
      repo.write('p.prompty', V1);
      const v1 = repo.commit('first');
      repo.write('p.prompty', V2);
      const v2 = repo.commit('cite sources');
      const store = await openEmbeddedStore(path.join(repo.dir, '.promptledger'));
      try {
        const exp = await store.ensureExperiment('p');
        await recordEvalRun(store, exp, { relPath: 'p.prompty', promptHash: normalizedContentHash(V2), passRate: 0.9 });
      } finally { await store.close(); }
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: repo.dir, env: {}, isTty: false } as never;
      assert.equal(await blameCommand(['p.prompty'], io), 0, err.join(''));
      const text = out.join('');
      assert.match(text, /^p\.prompty · suite p\.eval\.yaml · echo$/m);
      assert.match(text, new RegExp(`^3  ${v2.slice(0, 7)}  n/a +pass 90 % · before: not evaluated +│ Cite a source\\.$`, 'm'));
      assert.match(text, new RegExp(`^1  ${v1.slice(0, 7)}  n/a +not evaluated`, 'm'));
      assert.match(text, new RegExp(`^  prompt-ledger eval p\\.eval\\.yaml --at ${v1.slice(0, 7)}   # first$`, 'm'));
      out.length = 0;
      assert.equal(await blameCommand(['p.prompty', '--json'], io), 0);
      const json = JSON.parse(out.join(''));
      assert.equal(json.lines[2].commit, v2);
      assert.equal(json.lines[2].passRate, 0.9);
      assert.equal(json.lines[2].commitBefore, v1);
      assert.deepEqual(json.missing.map((m: { commit: string }) => m.commit), [v1]);
      assert.equal(await blameCommand(['nope.prompty'], io), 2);
      assert.match(err.join(''), /nope\.prompty: no such file/);
    } finally { repo.cleanup(); }
  });
});
