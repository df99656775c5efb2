import { strict as assert } from 'node:assert';
import { AUDIT_TAG_BUDGET, planAuditAppend, readAuditTags, type AuditEntry } from '../../../src/core/registry/auditLog';
import { runPassed } from '../../../src/core/registry/linkedRuns';
import { auditTrail, governanceFrom, listModels, listModelVersions, listPromptVersions, moveAlias, registerPromptVersion, rollbackAlias } from '../../../src/core/registry/promptRegistry';
import { makeRun } from '../compare/fixtures';
import type { TrackingStore } from '../../../src/core/tracking/types';
import { logRun, tempEmbeddedStore } from './registryTestStore';

const open = tempEmbeddedStore;

const gov = governanceFrom(true);
const base = { name: 'summarize', sourcePath: 'prompts/summarize.md' };

let stores: TrackingStore[] = [];
async function seeded() {
  const store = await open();
  stores.push(store);
  const v1 = await registerPromptVersion(store, { ...base, sourceText: 'Summarize {{t}}', contentHash: 'h1', gitCommit: 'aaa111', commitMessage: 'first' });
  const v2 = await registerPromptVersion(store, { ...base, sourceText: 'Summarize {{t}} briefly', contentHash: 'h2', gitCommit: 'bbb222' });
  return { store, v1, v2 };
}

describe('promptRegistry (embedded store)', () => {
  afterEach(async () => { for (const st of stores) await st.close(); stores = []; });
  it('lists registered models that are not prompts, their versions newest first with the model\'s aliases', async () => {
    const { store } = await seeded();
    await store.createRegisteredModel('classifier');
    await store.createModelVersion('classifier', { source: 'models:/a' });
    await store.createModelVersion('classifier', { source: 'models:/b' });
    await store.setAlias('classifier', 'champion', '1');
    assert.deepEqual((await listModels(store)).map((m) => m.name), ['classifier']);
    const versions = await listModelVersions(store, await store.getRegisteredModel('classifier'));
    assert.deepEqual(versions.map((v) => [v.version, v.aliases]), [['2', []], ['1', ['champion']]]);
    // Aliases a server reports only on the model are merged into the version.
    const fromModel = await listModelVersions(store, { name: 'classifier', aliases: [{ alias: 'canary', version: '2' }] });
    assert.deepEqual(fromModel[0].aliases, ['canary']);
  });
  it('registers versions with provenance tags and reuses a version with the same content hash', async () => {
    const { store, v1, v2 } = await seeded();
    assert.deepEqual([v1, v2].map((r) => [r.version, r.reused, r.form.type]), [['1', false, 'text'], ['2', false, 'text']]);
    const again = await registerPromptVersion(store, { ...base, sourceText: 'Summarize {{t}}', contentHash: 'h1', gitCommit: 'ccc333' });
    assert.deepEqual([again.version, again.reused], ['1', true]);
    const list = await listPromptVersions(store, 'summarize');
    assert.deepEqual(list.map((v) => [v.version, v.gitCommit, v.contentHash, v.sourcePath, v.template]), [
      ['2', 'bbb222', 'h2', 'prompts/summarize.md', 'Summarize {{t}} briefly'],
      ['1', 'aaa111', 'h1', 'prompts/summarize.md', 'Summarize {{t}}'],
    ]);
    assert.equal(list[1].commitMessage, 'first');
  });

  it('rejects bad prompt names with MLflow\'s rule', async () => {
    const st = await open(); stores.push(st);
    await assert.rejects(registerPromptVersion(st, { name: 'bad name!', sourceText: 'x', contentHash: 'h' }), /Prompt names may only contain/);
  });

  it('links runs by mlflow.linkedPrompts, by hash tag and by prompt_hash param, with pass rates', async () => {
    const { store } = await seeded();
    const r1 = await logRun(store, makeRun('r1', {}, { pass_rate: 0.9 }, { 'mlflow.linkedPrompts': JSON.stringify([{ name: 'summarize', version: '1' }]), 'promptledger.passed': 'true' }));
    const r2 = await logRun(store, makeRun('r2', { prompt_hash: 'h2', 'threshold.pass_rate': '0.8' }, { pass_rate: 0.7 }));
    const r3 = await logRun(store, makeRun('r3', {}, { pass_rate: 1 }, { 'promptledger.promptHash': 'h2' }));
    await logRun(store, makeRun('r4', { prompt_hash: 'other' }, { pass_rate: 1 }));
    const list = await listPromptVersions(store, 'summarize');
    const byV = Object.fromEntries(list.map((v) => [v.version, v.linkedRuns.map((r) => [r.runId, r.passRate, r.passed])]));
    assert.deepEqual(byV['1'], [[r1, 0.9, true]]);
    assert.deepEqual(byV['2'].sort((a, b) => Number(a[1]) - Number(b[1])), [[r2, 0.7, false], [r3, 1, null]]);
  });

  it('decides "passed" from the tag first, else pass_rate against threshold.pass_rate', () => {
    assert.equal(runPassed(makeRun('a', { 'threshold.pass_rate': '0.8' }, { pass_rate: 0.95 }, { 'promptledger.passed': 'false' })), false);
    assert.equal(runPassed(makeRun('a', { 'threshold.pass_rate': '0.8' }, { pass_rate: 0.8 })), true);
    assert.equal(runPassed(makeRun('a', { 'threshold.pass_rate': '0.8' }, { pass_rate: 0.79 })), false);
    assert.equal(runPassed(makeRun('a', {}, { pass_rate: 0.79 })), null);
  });

  it('refuses production without a passing linked eval and says why', async () => {
    const { store } = await seeded();
    let r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '2', note: 'ship', author: 'ana', governance: gov });
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /requires a passing eval run of summarize v2, but it has no linked eval runs/);
    const fail = await logRun(store, makeRun('fail', { prompt_hash: 'h2', 'threshold.pass_rate': '0.9' }, { pass_rate: 0.5 }));
    r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '2', note: 'ship', author: 'ana', governance: gov });
    assert.match((r as { reason: string }).reason, /none of its 1 linked eval run\(s\) passed/);
    r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '2', note: 'ship', author: 'ana', governance: gov, evidenceRunId: fail });
    assert.match((r as { reason: string }).reason, /did not pass its thresholds \(pass_rate 0\.500\)/);
    assert.deepEqual((await store.getRegisteredModel('summarize')).aliases, []);
    // staging is not governed
    r = await moveAlias(store, { name: 'summarize', alias: 'staging', version: '2', note: 'try', author: 'ana', governance: gov });
    assert.equal(r.ok, true);
    // without governance production moves too
    r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '2', note: 'ship', author: 'ana', governance: governanceFrom(false) });
    assert.equal(r.ok, true);
  });

  it('moves production with passing evidence, audits it, and rolls back to the previous version', async () => {
    const { store } = await seeded();
    const pass1 = await logRun(store, makeRun('pass1', { prompt_hash: 'h1', 'threshold.pass_rate': '0.8' }, { pass_rate: 0.9 }));
    const pass2 = await logRun(store, makeRun('pass2', { prompt_hash: 'h2' }, { pass_rate: 0.95 }, { 'promptledger.passed': 'true' }));
    let r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '1', note: 'first release', author: 'ana', governance: gov });
    assert.ok(r.ok);
    assert.equal(r.entry.evidenceRunId, pass1);
    r = await moveAlias(store, { name: 'summarize', alias: 'production', version: '2', note: 'better', author: 'bo', governance: gov, evidenceRunId: pass2 });
    assert.ok(r.ok);
    assert.deepEqual([r.entry.from, r.entry.to], ['1', '2']);
    const versions = await listPromptVersions(store, 'summarize');
    assert.deepEqual(versions.map((v) => v.aliases), [['production'], []]);

    const back = await rollbackAlias(store, { name: 'summarize', alias: 'production', note: 'regression in prod', author: 'cy' });
    assert.ok(back.ok);
    assert.deepEqual([back.entry.action, back.entry.from, back.entry.to], ['rollback', '2', '1']);
    assert.deepEqual((await store.getRegisteredModel('summarize')).aliases, [{ alias: 'production', version: '1' }]);
    const trail = await auditTrail(store, 'summarize');
    assert.deepEqual(trail.map((e) => [e.action, e.alias, e.from, e.to, e.author, e.note]), [
      ['move', 'production', null, '1', 'ana', 'first release'],
      ['move', 'production', '1', '2', 'bo', 'better'],
      ['rollback', 'production', '2', '1', 'cy', 'regression in prod'],
    ]);
    // A second rollback undoes the first: the latest entry that led to v1 came from v2.
    const again = await rollbackAlias(store, { name: 'summarize', alias: 'production', note: 'again', author: 'cy' });
    assert.equal(again.ok, true);
    assert.deepEqual((await store.getRegisteredModel('summarize')).aliases, [{ alias: 'production', version: '2' }]);
  });

  it('refuses reserved or malformed aliases, missing notes and unknown versions', async () => {
    const { store } = await seeded();
    const move = (alias: string, note = 'n', version = '1') => moveAlias(store, { name: 'summarize', alias, version, note, author: 'a', governance: governanceFrom(false) });
    assert.match(((await move('latest')) as { reason: string }).reason, /reserved/);
    assert.match(((await move('v3')) as { reason: string }).reason, /reserved/);
    assert.match(((await move('prod uction')) as { reason: string }).reason, /alphanumerics/);
    assert.match(((await move('staging', '  ')) as { reason: string }).reason, /note is required/);
    assert.match(((await move('staging', 'n', '9')) as { reason: string }).reason, /has no version 9/);
    await move('staging');
    assert.match(((await move('staging')) as { reason: string }).reason, /already points to version 1/);
    assert.match(((await rollbackAlias(store, { name: 'summarize', alias: 'prod', note: 'x', author: 'a' })) as { reason: string }).reason, /not set/);
    assert.match(((await rollbackAlias(store, { name: 'summarize', alias: 'staging', note: 'x', author: 'a' })) as { reason: string }).reason, /no earlier version/);
  });

  it('rolls older audit entries into numbered tags before the live tag overflows', async () => {
    const { store } = await seeded();
    const note = 'x'.repeat(400);
    for (let i = 0; i < 30; i++) {
      const r = await moveAlias(store, { name: 'summarize', alias: 'staging', version: i % 2 ? '1' : '2', note: `${i} ${note}`, author: 'ana', governance: gov });
      assert.ok(r.ok);
    }
    const model = await store.getRegisteredModel('summarize');
    assert.ok(model.tags.every((t) => t.value.length <= AUDIT_TAG_BUDGET));
    assert.ok(model.tags.some((t) => t.key === 'promptledger.audit.2'));
    const trail = await auditTrail(store, 'summarize');
    assert.equal(trail.length, 30);
    assert.deepEqual(trail.map((e) => Number(e.note.split(' ')[0])), Array.from({ length: 30 }, (_, i) => i));
  });

  it('drops duplicates left by a crash between the archive write and the live write', () => {
    const e = (i: number): AuditEntry => ({ at: `2025-01-0${i}T00:00:00Z`, author: 'a', action: 'move', alias: 's', from: null, to: String(i), note: 'n', evidenceRunId: null });
    const tags = [{ key: 'promptledger.audit.1', value: JSON.stringify([e(1), e(2)]) }, { key: 'promptledger.audit', value: JSON.stringify([e(1), e(2)]) }];
    assert.deepEqual(readAuditTags(tags).map((x) => x.to), ['1', '2']);
    assert.throws(() => planAuditAppend([], { ...e(1), note: 'y'.repeat(6000) }), /shorten the note/);
    assert.deepEqual(readAuditTags([{ key: 'promptledger.audit', value: 'not json' }]), []);
  });
});
