import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approveRequest, openRequests, rejectRequest, requestAliasMove } from '../../../src/core/registry/approvals';
import { GovernanceSettingsError, readWorkspaceGovernance } from '../../../src/core/registry/governanceSettings';
import { check, grantedPermission, PermissionMemo, type Access } from '../../../src/core/registry/permissions';
import { auditTrail, governanceFrom, moveAlias, registerPromptVersion } from '../../../src/core/registry/promptRegistry';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { TrackingError, type ServerAuth, type TrackingStore } from '../../../src/core/tracking/types';
import { makeRun } from '../compare/fixtures';

const dirs: string[] = [];
const stores: TrackingStore[] = [];
after(async () => { for (const s of stores) await s.close(); for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-approvals-')); dirs.push(d); return d; };
const as = (actor: string): Access => ({ actor, switchUserHint: 'switch' });

async function seeded() {
  const store = await openEmbeddedStore(tmp());
  stores.push(store);
  for (const [i, text] of ['Hi {{x}}', 'Hello {{x}}'].entries()) await registerPromptVersion(store, { name: 'greet', sourceText: text, contentHash: `h${i + 1}`, sourcePath: 'greet.md' });
  const experimentId = await store.ensureExperiment('e');
  const run = await store.createRun({ experimentId, runName: 'eval-v2' });
  await store.logBatch(run.info.runId, makeRun('x', { prompt_hash: 'h2' }, { pass_rate: 1 }, { 'promptledger.passed': 'true' }).data);
  return { store, runId: run.info.runId };
}

describe('approvals (embedded store, no server users: the actor is the author name)', () => {
  const gov = governanceFrom(true, { production: 2 });

  it('a governed alias does not move directly; two other people approve and the last approval moves it', async () => {
    const { store, runId } = await seeded();
    const direct = await moveAlias(store, { name: 'greet', alias: 'production', version: '2', note: 'n', author: 'ana', governance: gov });
    assert.match((direct as { reason: string }).reason, /moves only with the approval of 2 other users/);
    const req = await requestAliasMove(store, { name: 'greet', alias: 'production', version: '2', note: 'ship', governance: gov, access: as('ana') });
    assert.ok(req.ok);
    assert.equal(req.request.evidenceRunId, runId, 'the latest passing run is the evidence when none is named');
    const dup = await requestAliasMove(store, { name: 'greet', alias: 'production', version: '2', note: 'again', governance: gov, access: as('bo') });
    assert.match((dup as { reason: string }).reason, /already asks to move 'production' to v2/);
    const self = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'me', governance: gov, access: as('ana') });
    assert.match((self as { reason: string }).reason, /is yours \(ana\)/);
    const first = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'ok', governance: gov, access: as('bo') });
    assert.ok(first.ok && !first.moved);
    const twice = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'ok', governance: gov, access: as('bo') });
    assert.match((twice as { reason: string }).reason, /already decided/);
    assert.deepEqual((await store.getRegisteredModel('greet')).aliases, []);
    const second = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'ok too', governance: gov, access: as('cy') });
    assert.ok(second.ok && second.moved);
    assert.deepEqual((await store.getRegisteredModel('greet')).aliases, [{ alias: 'production', version: '2' }]);
    assert.deepEqual((await auditTrail(store, 'greet')).map((e) => [e.action, e.author, e.requestedBy ?? null]), [
      ['request', 'ana', null], ['approve', 'bo', null], ['move', 'cy', 'ana'],
    ]);
    assert.deepEqual(await openRequests(store, 'greet'), []);
  });

  it('goes stale when its evidence run changes or the alias moves meanwhile; stale ones can still be rejected', async () => {
    const { store, runId } = await seeded();
    const one = governanceFrom(true, { production: 1 });
    const req = await requestAliasMove(store, { name: 'greet', alias: 'production', version: '2', note: 'ship', evidenceRunId: runId, governance: one, access: as('ana') });
    assert.ok(req.ok);
    await store.setTag(runId, 'promptledger.passed', 'false');
    const [view] = await openRequests(store, 'greet');
    assert.match(view.stale ?? '', /evidence run .* changed since \(passed: true → false\)/);
    const r = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'ok', governance: one, access: as('bo') });
    assert.match((r as { reason: string }).reason, /is stale: its evidence run/);
    await store.setTag(runId, 'promptledger.passed', 'true');
    await store.setAlias('greet', 'production', '1'); // someone moved it by other means
    const moved = await approveRequest(store, { name: 'greet', requestId: req.request.id, note: 'ok', governance: one, access: as('bo') });
    assert.match((moved as { reason: string }).reason, /'production' moved since \(unset → v1\)/);
    const rej = await rejectRequest(store, { name: 'greet', requestId: req.request.id, note: 'stale', governance: one, access: as('bo') });
    assert.ok(rej.ok && rej.request.status === 'rejected');
  });

  it('both rules stack: a request for an alias that needs a passing eval names a passing run', async () => {
    const { store } = await seeded();
    const one = governanceFrom(true, { production: 1 });
    const r = await requestAliasMove(store, { name: 'greet', alias: 'production', version: '1', note: 'v1', governance: one, access: as('ana') });
    assert.match((r as { reason: string }).reason, /requires a passing eval run of greet v1, but it has no linked eval runs/);
    const ci = await requestAliasMove(store, { name: 'greet', alias: 'production', version: '2', note: 'v2', governance: one, access: as('ana'), requireExplicitEvidence: true });
    assert.match((ci as { reason: string }).reason, /name it with --evidence <run-id>/);
  });
});

describe('permissions from MLflow grants', () => {
  const auth = (grants: ServerAuth['grants'], isAdmin = false): Access => ({ actor: 'u', auth: { username: 'u', isAdmin, grants }, switchUserHint: 'run "Set MLflow Credentials"' });
  const prompt = { type: 'prompt' as const, id: 'greet' };

  it('exact grants, then the wildcard; DENY wins; admins manage everything', () => {
    assert.equal(grantedPermission(auth([{ resourceType: 'prompt', pattern: '*', permission: 'EDIT' }, { resourceType: 'prompt', pattern: 'greet', permission: 'READ' }]).auth!, prompt), 'READ');
    assert.equal(grantedPermission(auth([{ resourceType: 'prompt', pattern: '*', permission: 'EDIT' }]).auth!, prompt), 'EDIT');
    assert.equal(grantedPermission(auth([{ resourceType: 'prompt', pattern: 'greet', permission: 'MANAGE' }, { resourceType: 'prompt', pattern: 'greet', permission: 'DENY' }]).auth!, prompt), 'DENY');
    assert.equal(grantedPermission(auth([{ resourceType: 'registered_model', pattern: 'greet', permission: 'MANAGE' }]).auth!, prompt), undefined, 'a registered_model grant is another namespace');
    assert.equal(grantedPermission(auth([], true).auth!, prompt), 'MANAGE');
  });

  it('refusals name the user, the grant that fixes it and how to switch user; unknown counts as allowed except for MANAGE', () => {
    const viewer = auth([{ resourceType: 'prompt', pattern: 'greet', permission: 'READ' }]);
    const r = check(viewer, 'edit', prompt, 'registering a version');
    assert.equal(r.ok, false);
    assert.equal((r as { reason: string }).reason, `You are signed in to MLflow as 'u', who has READ on prompt 'greet'; registering a version needs EDIT. An MLflow admin can grant it (POST /api/3.0/mlflow/users/permissions/grant {"username":"u","resource_type":"prompt","resource_id":"greet","permission":"EDIT"}), or sign in as another user: run "Set MLflow Credentials".`);
    assert.equal(check(auth([]), 'edit', prompt, 'x').ok, true, 'the server default decides');
    assert.match((check(auth([]), 'manage', prompt, 'approving', { strict: true }) as { reason: string }).reason, /has no grant on prompt 'greet'; approving needs MANAGE/);
  });

  it('a 403 is remembered: the same or a higher need is then refused without asking the server', () => {
    const access = { ...auth([]), memo: new PermissionMemo() };
    assert.equal(access.memo.learn(new TrackingError('PERMISSION_DENIED', 'Permission denied', 403), prompt, 'edit', access, 'moving'), true);
    assert.equal(check(access, 'edit', prompt, 'x').ok, false);
    assert.equal(check(access, 'manage', prompt, 'x').ok, false);
    assert.equal(check(access, 'read', prompt, 'x').ok, true);
  });
});

describe('governance settings from .vscode/settings.json (what the CLI obeys)', () => {
  const write = (text: string) => { const d = tmp(); fs.mkdirSync(path.join(d, '.vscode')); fs.writeFileSync(path.join(d, '.vscode', 'settings.json'), text); return d; };
  it('reads JSON with comments and trailing commas', () => {
    const g = readWorkspaceGovernance(write('{\n // rules\n "promptLedger.governance.approvals": { "production": 1, "staging": 0 },\n "promptLedger.governance.requireEvalForProduction": true,\n}'));
    assert.deepEqual(g, { requirePassingEvalFor: ['production'], approvals: { production: 1 } });
    assert.deepEqual(readWorkspaceGovernance(tmp()), { requirePassingEvalFor: [], approvals: {} });
  });
  it('bad values and broken JSON name the file, the line and the fix', () => {
    assert.throws(() => readWorkspaceGovernance(write('{ "promptLedger.governance.approvals": { "production": "yes" } }')), (e: Error) => e instanceof GovernanceSettingsError && /settings\.json: promptLedger\.governance\.approvals\.production is "yes"; use a whole number from 0 to 5\. Use an object/.test(e.message));
    assert.throws(() => readWorkspaceGovernance(write('{\n  "a": 1\n  "b": 2\n}')), /settings\.json:3:3: CommaExpected/);
  });
});
