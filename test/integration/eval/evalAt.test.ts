// A/B from git: `prompt-ledger eval <suite> --at <rev>` in a real git repository runs the prompt as
// it was at that revision, records that version's commit, label and content hash, and leaves the
// working copy alone; unknown revisions and a prompt that did not exist yet are named.
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import type { TestRepo } from '../../helpers/gitRepo';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { normalizedContentHash } from '../../../src/core/prompts/contentHash';
import { TAGS } from '../../../src/core/eval/runContext';
import { paramsOf, tagsOf } from './evalWorkspace';
import { cliEval, countingBehavior, makeReproduceRepo, PROMPT_V1, PROMPT_V2, runIdFrom } from './reproduceWorkspace';

const PROMPT_V3 = PROMPT_V2.replace('loudly', 'very loudly');

describe('prompt-ledger eval --at <rev> (real git repo)', function () {
  let fake: FakeLlmServer;
  let repo: TestRepo;
  let v1: string;
  let v2: string;
  before(async () => {
    fake = await startFakeLlmServer({ behavior: countingBehavior().behavior });
    repo = makeReproduceRepo(fake);
    v1 = repo.head();
    repo.write('README.md', 'unrelated\n');
    repo.commit('docs');
    repo.write('p.prompty', PROMPT_V2);
    v2 = repo.commit('v2');
    repo.write('p.prompty', PROMPT_V3);
    repo.commit('v3');
    repo.write('p.prompty', `${PROMPT_V3}\n`); // uncommitted edit in the working copy
  });
  after(async () => {
    await fake.stop();
    repo.cleanup();
  });

  async function runOf(runId: string) {
    const store = await openEmbeddedStore(path.join(repo.dir, '.promptledger'));
    try { return await store.getRun(runId); } finally { await store.close(); }
  }
  const sentSystem = () => (fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages[0].content;

  for (const [rev, version, text] of [['v1', 'v1', PROMPT_V1], ['HEAD~1', 'v2', PROMPT_V2]] as const) {
    it(`--at ${rev} runs and records ${version}: its commit and content hash`, async () => {
      const r = await cliEval(repo.dir, 'shout.eval.yaml', '--at', rev);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`p\\.prompty at ${rev.replace('~', '~')}: ${version} · `));
      const p = paramsOf(await runOf(runIdFrom(r)));
      assert.equal(p.git_commit, version === 'v1' ? v1 : v2);
      assert.equal(p.prompt_version, version);
      assert.equal(p.prompt_hash, normalizedContentHash(text));
      assert.equal(tagsOf(await runOf(runIdFrom(r)))[TAGS.promptAt], rev);
      assert.equal(sentSystem(), text.includes('loudly') ? 'Repeat the word, loudly.' : 'Repeat the word.');
      // The working copy is untouched: still the uncommitted edit.
      assert.equal(repo.read('p.prompty'), `${PROMPT_V3}\n`);
      assert.equal(repo.git('status', '--porcelain'), ' M p.prompty');
    });
  }

  it('--at a commit between versions runs the version in effect there (v1 at the docs commit)', async () => {
    const r = await cliEval(repo.dir, 'shout.eval.yaml', '--at', 'HEAD~2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(paramsOf(await runOf(runIdFrom(r))).git_commit, v1);
  });

  it('names an unknown revision, a missing version and a time before the prompt existed', async () => {
    const unknown = await cliEval(repo.dir, 'shout.eval.yaml', '--at', 'deadbeef');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--at: 'deadbeef' is not a commit, branch or tag in .*Use a commit id, a branch, or a version such as v3\./);
    const noVersion = await cliEval(repo.dir, 'shout.eval.yaml', '--at', 'v9');
    assert.equal(noVersion.code, 2);
    assert.match(noVersion.stderr, /p\.prompty has no version v9: its versions are v1…v3\./);
    // A commit on no branch of the prompt's history (an unrelated root), tagged `empty`.
    repo.git('tag', 'empty', repo.git('commit-tree', repo.git('mktree'), '-m', 'unrelated root'));
    const before = await cliEval(repo.dir, 'shout.eval.yaml', '--at', 'empty');
    assert.equal(before.code, 2);
    assert.match(before.stderr, /p\.prompty did not exist yet at empty \([0-9a-f]{7}\); its first version is v1 at [0-9a-f]{7}\./);
  });
});
