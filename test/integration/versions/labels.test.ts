import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitBlobHash } from '../../../src/core/versions/blobHash';
import { fileHistory } from '../../../src/core/versions/history';
import { findRepoRoot, gitAvailable, labelFiles, refreshLabelForText } from '../../../src/core/versions/versionLabels';
import { cloneRepo, makeRepo } from '../../helpers/gitRepo';
import type { TestRepo } from '../../helpers/gitRepo';

describe('labelFiles on real repositories', () => {
  const repos: TestRepo[] = [];
  const track = (r: TestRepo) => (repos.push(r), r);
  after(() => repos.forEach((r) => r.cleanup()));

  it('counts commits per file, with the last commit\'s details', async () => {
    const repo = track(makeRepo());
    repo.write('prompts/a.prompty', 'v1');
    repo.write('prompts/b.prompty', 'b1');
    repo.commit('add prompts');
    repo.write('prompts/a.prompty', 'v2');
    repo.commit('tune a', { author: 'Ada Lovelace <ada@example.test>' });
    repo.write('prompts/b.prompty', 'b2');
    const last = repo.commit('tune b');
    const labels = await labelFiles(repo.dir, ['prompts/a.prompty', 'prompts/b.prompty']);
    const a = labels.get('prompts/a.prompty')!;
    assert.equal(a.state, 'committed');
    assert.equal(a.version, 2);
    assert.equal(a.author, 'Ada Lovelace');
    assert.equal(a.subject, 'tune a');
    assert.match(a.date!, /^\d{4}-\d\d-\d\dT/);
    assert.equal(a.headBlob, gitBlobHash('v2'));
    assert.equal(a.edited, false);
    assert.equal(a.text, `v2 · ${a.shortCommit}`);
    assert.equal(a.branch, 'main');
    assert.equal(a.detached, false);
    assert.equal(a.shallow, false);
    assert.equal(a.contentHash, undefined);
    assert.equal(labels.get('prompts/b.prompty')!.commit, last);
  });

  it('continues the version count across git mv, and history agrees', async () => {
    const repo = track(makeRepo());
    repo.write('old.prompty', '1');
    repo.commit('c1');
    repo.write('old.prompty', '2');
    repo.commit('c2');
    repo.mv('old.prompty', 'prompts/new name.prompty');
    repo.commit('move');
    repo.write('prompts/new name.prompty', '3');
    repo.commit('c4');
    const label = (await labelFiles(repo.dir, ['prompts/new name.prompty'])).get('prompts/new name.prompty')!;
    assert.equal(label.version, 4);
    const history = await fileHistory(repo.dir, 'prompts/new name.prompty');
    assert.deepEqual(history.map((h) => [h.version, h.subject, h.pathAtCommit]), [
      [4, 'c4', 'prompts/new name.prompty'], [3, 'move', 'prompts/new name.prompty'], [2, 'c2', 'old.prompty'], [1, 'c1', 'old.prompty'],
    ]);
  });

  it('counts commits from both sides of a merge once, including edits under the old name', async () => {
    const repo = track(makeRepo());
    repo.write('a.md', 'base\n');
    repo.commit('base');
    repo.branch('side');
    repo.checkout('side');
    repo.write('a.md', 'base\nside\n');
    repo.commit('side edit'); // dated before the rename on main
    repo.checkout('main');
    repo.mv('a.md', 'b.md');
    repo.commit('rename on main');
    repo.write('other.txt', 'x');
    repo.commit('unrelated');
    repo.merge('side');
    repo.write('b.md', 'base\nside\nmain\n');
    repo.commit('after merge');
    const label = (await labelFiles(repo.dir, ['b.md'])).get('b.md')!;
    assert.equal(label.version, 4); // base, side edit, rename, after merge; the merge itself is not counted
    const history = await fileHistory(repo.dir, 'b.md');
    assert.deepEqual(history.map((h) => h.subject), ['after merge', 'rename on main', 'side edit', 'base']);
    assert.deepEqual(history.map((h) => h.version), [4, 3, 2, 1]);
    assert.equal(history.find((h) => h.subject === 'side edit')!.pathAtCommit, 'a.md');
  });

  it('counts edits to one file on both branches, each once', async () => {
    const repo = track(makeRepo());
    repo.write('p.md', 'top\n\n\n\n\nbottom\n');
    repo.commit('base');
    repo.branch('side');
    repo.write('p.md', 'TOP\n\n\n\n\nbottom\n');
    repo.commit('main edit');
    repo.checkout('side');
    repo.write('p.md', 'top\n\n\n\n\nBOTTOM\n');
    repo.commit('side edit');
    repo.write('side-only.md', 's');
    repo.commit('side other');
    repo.checkout('main');
    repo.merge('side');
    assert.equal(repo.read('p.md'), 'TOP\n\n\n\n\nBOTTOM\n');
    const labels = await labelFiles(repo.dir, ['p.md', 'side-only.md']);
    assert.equal(labels.get('p.md')!.version, 3);
    assert.equal(labels.get('p.md')!.subject, 'side edit'); // the latest touching commit, not the merge
    assert.equal(labels.get('side-only.md')!.version, 1);
    const history = await fileHistory(repo.dir, 'p.md');
    assert.deepEqual(history.map((h) => h.subject), ['side edit', 'main edit', 'base']);
  });

  it('marks saved but uncommitted edits, with the in-process blob id equal to git hash-object', async () => {
    const repo = track(makeRepo());
    repo.write('p.prompty', 'one\n');
    repo.commit('c1');
    repo.write('p.prompty', 'two ✓\r\n');
    const label = (await labelFiles(repo.dir, ['p.prompty'])).get('p.prompty')!;
    assert.equal(label.edited, true);
    assert.equal(label.text, `v1 · ${label.shortCommit} · edited`);
    assert.equal(label.workingBlob, repo.git('hash-object', 'p.prompty'));
    assert.equal(label.headBlob, repo.git('rev-parse', 'HEAD:p.prompty'));
    // Unsaved editor text: back to the committed content, then changed again.
    assert.equal(refreshLabelForText(label, 'one\n').edited, false);
    const again = refreshLabelForText(label, 'three\n');
    assert.equal(again.edited, true);
    repo.write('scratch.txt', 'three\n');
    assert.equal(again.workingBlob, repo.git('hash-object', '--no-filters', 'scratch.txt'));
  });

  it('counts staged edits as edited, and a file deleted in the working tree as deleted', async () => {
    const repo = track(makeRepo());
    repo.write('staged.md', '1');
    repo.write('gone.md', '1');
    repo.commit('c1');
    repo.write('staged.md', '2');
    repo.git('add', 'staged.md');
    repo.remove('gone.md');
    const labels = await labelFiles(repo.dir, ['staged.md', 'gone.md']);
    assert.equal(labels.get('staged.md')!.edited, true);
    assert.equal(labels.get('staged.md')!.workingBlob, gitBlobHash('2'));
    const gone = labels.get('gone.md')!;
    assert.equal(gone.state, 'committed');
    assert.equal(gone.deleted, true);
    assert.equal(gone.edited, true);
    assert.equal(gone.text, `v1 · ${gone.shortCommit} · deleted`);
  });

  it('labels untracked and missing files as untracked, paths outside as not in git', async () => {
    const repo = track(makeRepo());
    repo.write('a.md', '1');
    repo.commit('c1');
    repo.write('new.md', 'draft');
    const labels = await labelFiles(repo.dir, ['new.md', 'missing.md', '../outside.md']);
    assert.equal(labels.get('new.md')!.state, 'untracked');
    assert.equal(labels.get('new.md')!.text, 'untracked');
    assert.equal(labels.get('new.md')!.version, 0);
    assert.equal(labels.get('missing.md')!.state, 'untracked');
    assert.equal(labels.get('../outside.md')!.state, 'not-repo');
  });

  it('says not in git for a plain folder and a missing folder', async () => {
    const plain = track(makeRepo({ init: false }));
    plain.write('a.md', '1');
    assert.equal((await labelFiles(plain.dir, ['a.md'])).get('a.md')!.state, 'not-repo');
    assert.equal((await labelFiles(path.join(plain.dir, 'nope'), ['a.md'])).get('a.md')!.state, 'not-repo');
    assert.equal(await findRepoRoot(plain.dir), undefined);
  });

  it('says no commits yet in a fresh repository', async () => {
    const repo = track(makeRepo());
    repo.write('a.md', '1');
    const label = (await labelFiles(repo.dir, ['a.md'])).get('a.md')!;
    assert.equal(label.state, 'no-commits');
    assert.equal(label.text, 'no commits yet');
  });

  it('says git not found when the executable is missing', async () => {
    const repo = track(makeRepo());
    const gitPath = path.join(os.tmpdir(), 'no-such-git-binary');
    const label = (await labelFiles(repo.dir, ['a.md'], { gitPath })).get('a.md')!;
    assert.equal(label.state, 'no-git');
    assert.equal(label.text, 'git not found');
    assert.equal(await gitAvailable({ gitPath }), false);
    assert.equal(await gitAvailable(), true);
    assert.equal(await findRepoRoot(repo.dir, { gitPath }), undefined);
  });

  it('works on a detached HEAD', async () => {
    const repo = track(makeRepo());
    repo.write('a.md', '1');
    const first = repo.commit('c1');
    repo.write('a.md', '2');
    repo.commit('c2');
    repo.checkout(first);
    const label = (await labelFiles(repo.dir, ['a.md'])).get('a.md')!;
    assert.equal(label.detached, true);
    assert.equal(label.branch, undefined);
    assert.equal(label.version, 1);
    assert.equal(label.commit, first);
  });

  it('marks counts from a shallow clone as possibly partial', async () => {
    const source = track(makeRepo());
    for (let i = 1; i <= 5; i++) {
      source.write('a.md', `v${i}`);
      source.commit(`c${i}`);
    }
    const clone = track(cloneRepo(source, ['--depth', '2']));
    const label = (await labelFiles(clone.dir, ['a.md'])).get('a.md')!;
    assert.equal(label.shallow, true);
    assert.equal(label.version, 2);
    assert.equal(label.text, `v2+ · ${label.shortCommit}`);
  });

  it('handles unicode and spaces in paths, and a sub-folder as the root', async () => {
    const repo = track(makeRepo());
    const rel = 'prompts/résumé ✓/sum mary 漢字.prompty';
    repo.write(rel, '1');
    repo.commit('c1');
    repo.write(rel, '2');
    repo.commit('c2');
    const labels = await labelFiles(repo.dir, [rel, rel.replace(/\//g, '\\')]);
    assert.equal(labels.get(rel)!.version, 2);
    assert.equal(labels.get(rel.replace(/\//g, '\\'))!.version, 2);
    const sub = path.join(repo.dir, 'prompts', 'résumé ✓');
    const fromSub = (await labelFiles(sub, ['sum mary 漢字.prompty'])).get('sum mary 漢字.prompty')!;
    assert.equal(fromSub.version, 2);
    assert.equal(await findRepoRoot(sub), repo.dir);
    assert.equal((await fileHistory(sub, 'sum mary 漢字.prompty')).length, 2);
  });

  it('returns an empty map for no paths without running git', async () => {
    // A `git` first on PATH that leaves a mark when it runs: no mark means no git call was made.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-spygit-'));
    const mark = path.join(bin, 'called');
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\ntouch '${mark}'\nexit 1\n`, { mode: 0o755 });
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    try {
      assert.equal((await labelFiles(bin, [])).size, 0);
      await labelFiles(bin, ['x.prompty']); // the spy works: this one does call git
      assert.ok(fs.existsSync(mark), 'the spy git was never reached');
      fs.rmSync(mark);
      assert.equal((await labelFiles(bin, [])).size, 0);
      assert.ok(!fs.existsSync(mark), 'git ran for an empty path list');
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
