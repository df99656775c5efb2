import { strict as assert } from 'node:assert';
import * as z from 'zod/mini';
import { buildComparison } from '../../../src/core/compare/buildComparison';
import { compareToHostSchema, compareToWebviewSchema, OUTPUT_PREVIEW_CHARS } from '../../../src/protocol/compareProtocol';
import { errorReply, okReply, parseMessage, RequestTracker } from '../../../src/protocol/messaging';
import { registryToHostSchema, registryToWebviewSchema } from '../../../src/protocol/registryProtocol';
import { CompareSession } from '../../../src/extension/panels/compareSession';
import { RegistrySession } from '../../../src/extension/panels/registrySession';
import { checkLink } from '../../../src/extension/panels/linkPolicy';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../../src/extension/panels/webviewHtml';
import { makeRun, makeTable } from '../compare/fixtures';
import { logRun, tempEmbeddedStore } from '../registry/registryTestStore';

describe('protocol: messaging', () => {
  it('correlates replies by id and validates the result', async () => {
    const sent: Record<string, unknown>[] = [];
    const t = new RequestTracker((m) => sent.push(m as Record<string, unknown>), { timeoutMs: 0 });
    const p1 = t.request({ type: 'a' }, z.object({ n: z.number() }));
    const p2 = t.request({ type: 'b' }, z.object({ n: z.number() }));
    assert.notEqual(sent[0].id, sent[1].id);
    assert.equal(t.handle(okReply(String(sent[1].id), { n: 2 })), true);
    assert.equal(t.handle(okReply(String(sent[0].id), { n: 'x' })), true);
    assert.deepEqual(await p2, { n: 2 });
    await assert.rejects(p1, /Malformed reply: n:/);
    const p3 = t.request({ type: 'c' }, z.unknown());
    t.handle(errorReply(String(sent[2].id), 'boom'));
    await assert.rejects(p3, /boom/);
    assert.equal(t.handle({ type: 'init' }), false);
    assert.equal(t.pendingCount, 0);
  });

  it('times out and rejects pending requests on dispose', async () => {
    const t = new RequestTracker(() => {}, { timeoutMs: 5 });
    await assert.rejects(t.request({ type: 'slow' }, z.unknown()), /No reply to 'slow'/);
    const t2 = new RequestTracker(() => {}, { timeoutMs: 0 });
    const p = t2.request({ type: 'x' }, z.unknown());
    t2.dispose();
    await assert.rejects(p, /Panel closed/);
  });
});

describe('protocol: schemas reject bad messages both ways', () => {
  const bad: [string, z.ZodMiniType<unknown>, unknown, RegExp][] = [
    ['compare host: unknown type', compareToHostSchema, { type: 'eval', code: 'x' }, /rejected message 'eval'/],
    ['compare host: page too large', compareToHostSchema, { type: 'loadCases', id: 'w1', offset: 0, limit: 100000 }, /limit/],
    ['compare host: missing id', compareToHostSchema, { type: 'loadCases', offset: 0, limit: 10 }, /id/],
    ['compare host: negative offset', compareToHostSchema, { type: 'loadCases', id: 'w1', offset: -1, limit: 10 }, /offset/],
    ['compare webview: init without model', compareToWebviewSchema, { type: 'init', totalCases: 1 }, /model/],
    ['compare webview: not an object', compareToWebviewSchema, 'init', /\(no type\)/],
    ['registry host: bad version', registryToHostSchema, { type: 'moveAlias', id: 'w1', name: 'p', alias: 'staging', version: '1; drop', note: 'n' }, /version must be a number/],
    ['registry host: huge note', registryToHostSchema, { type: 'rollback', id: 'w1', name: 'p', alias: 'a', note: 'x'.repeat(2000) }, /note/],
    ['registry webview: state missing fields', registryToWebviewSchema, { type: 'update', state: { prompts: [] } }, /state/],
  ];
  for (const [name, schema, msg, re] of bad) {
    it(name, () => {
      const r = parseMessage(schema, msg, 'side');
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, re);
    });
  }
  it('accepts well-formed messages', () => {
    assert.ok(parseMessage(compareToHostSchema, { type: 'ready' }, 's').ok);
    assert.ok(parseMessage(compareToHostSchema, { type: 'openLink', url: 'https://x' }, 's').ok);
    assert.ok(parseMessage(registryToHostSchema, { type: 'moveAlias', id: 'w1', name: 'p', alias: 'staging', version: '3', note: 'n' }, 's').ok);
    assert.ok(parseMessage(compareToWebviewSchema, okReply('w1', { any: 1 }), 's').ok);
  });
});

describe('compare session', () => {
  const big = 'y'.repeat(OUTPUT_PREVIEW_CHARS * 3);
  const runs = [makeRun('a', { m: '1' }, { pass_rate: 0.5 }), makeRun('b', { m: '2' }, { pass_rate: 0.6 })];
  const cases = Array.from({ length: 450 }, (_, i) => ({ id: `c${i}`, inputs: { i }, output: i === 3 ? big : `out ${i}`, pass: i % 2 === 0 }));
  const tables = new Map([['a', makeTable(cases)], ['b', makeTable(cases)]]);
  const setup = () => {
    const posted: Record<string, unknown>[] = [];
    const logs: string[] = [];
    const opened: string[] = [];
    let loads = 0;
    const s = new CompareSession({
      load: async (baseline) => { loads++; return buildComparison(runs, tables, new Map(), baseline); },
      post: (m) => posted.push(m as Record<string, unknown>),
      openRun: (id) => opened.push(id), openLink: (u) => opened.push(u), log: (m) => logs.push(m),
    });
    return { s, posted, logs, opened, loads: () => loads };
  };

  it('answers ready with a first page, pages on request, full text on detail, validated by the webview schema', async () => {
    const { s, posted, loads } = setup();
    await s.handle({ type: 'ready' });
    const init = compareToWebviewSchema.parse(posted[0]);
    assert.equal(init.type, 'init');
    if (init.type !== 'init') return;
    assert.equal(init.totalCases, 450);
    assert.equal(init.model.cases.length, 200);
    assert.equal(init.model.cases[3].cells[0]!.output.length, OUTPUT_PREVIEW_CHARS);
    assert.equal(init.model.cases[3].cells[0]!.outputLength, big.length);
    await s.handle({ type: 'loadCases', id: 'w1', offset: 200, limit: 500 });
    const page = posted[1] as { replyTo: string; result: { rows: unknown[]; total: number } };
    assert.equal(page.replyTo, 'w1');
    assert.equal(page.result.rows.length, 250);
    await s.handle({ type: 'loadCaseDetail', id: 'w2', key: 'id:c3' });
    assert.equal((posted[2] as { result: { cells: { output: string }[] } }).result.cells[0].output.length, big.length);
    await s.handle({ type: 'ready', restored: true });
    assert.equal(posted.length, 3, 'a restored webview gets no second init');
    assert.equal(loads(), 1, 'the model is built once');
  });

  it('recomputes on setBaseline and sends update; refuses unknown runs', async () => {
    const { s, posted } = setup();
    await s.handle({ type: 'setBaseline', id: 'w1', runId: 'b' });
    assert.deepEqual((posted[0] as { result: unknown }).result, { baselineIndex: 1 });
    const upd = compareToWebviewSchema.parse(posted[1]);
    assert.equal(upd.type === 'update' && upd.model.baselineIndex, 1);
    await s.handle({ type: 'setBaseline', id: 'w2', runId: 'zzz' });
    assert.match(String((posted[2] as { error: string }).error), /not part of this comparison/);
  });

  it('logs and ignores malformed messages; forwards openRun/openLink', async () => {
    const { s, posted, logs, opened } = setup();
    await s.handle({ type: 'loadCases', id: 'w1', offset: 'x', limit: 1 });
    await s.handle(null);
    assert.equal(posted.length, 0);
    assert.equal(logs.length, 2);
    await s.handle({ type: 'openRun', runId: 'a' });
    await s.handle({ type: 'openLink', url: 'javascript:alert(1)' });
    assert.deepEqual(opened, ['a', 'javascript:alert(1)']); // the panel's openLink applies checkLink
  });
});

describe('registry session', () => {
  it('registers the active prompt, refuses a governed move with a reason, then moves with evidence', async () => {
    const store = await tempEmbeddedStore();
    const posted: Record<string, unknown>[] = [];
    const s = new RegistrySession({ store, post: (m) => posted.push(m as Record<string, unknown>), openRun: () => {}, openLink: () => {}, log: () => {} },
      { governanceRequiresEval: true, author: 'ana', activePrompt: { name: 'greet', sourceText: 'Hi {{n}}', contentHash: 'hh', gitCommit: 'abc1234', sourcePath: 'prompts/greet.prompty' } });
    await s.handle({ type: 'ready' });
    const init = registryToWebviewSchema.parse(posted[0]);
    assert.ok(init.type === 'init' && init.state.activePrompt?.registeredVersion === null);
    await s.handle({ type: 'register', id: 'w1' });
    assert.deepEqual((posted[1] as { result: unknown }).result, { version: '1', reused: false, form: { type: 'chat', messages: [{ role: 'system', content: 'Hi {{n}}' }] }, notCarried: [] });
    const upd = registryToWebviewSchema.parse(posted[2]);
    assert.ok(upd.type === 'update' && upd.state.activePrompt?.registeredVersion === '1' && upd.state.versions[0].gitCommit === 'abc1234');
    await s.handle({ type: 'moveAlias', id: 'w2', name: 'greet', alias: 'production', version: '1', note: 'go' });
    const refused = posted[3] as { result: { ok: boolean; reason: string } };
    assert.equal(refused.result.ok, false);
    assert.match(refused.result.reason, /requires a passing eval run/);
    const evidence = await logRun(store, makeRun('r1', { prompt_hash: 'hh' }, { pass_rate: 1 }, { 'promptledger.passed': 'true' }));
    await s.handle({ type: 'moveAlias', id: 'w3', name: 'greet', alias: 'production', version: '1', note: 'go' });
    assert.equal((posted[4] as { result: { ok: boolean } }).result.ok, true);
    const after = registryToWebviewSchema.parse(posted[5]);
    assert.ok(after.type === 'update');
    if (after.type !== 'update') return;
    assert.deepEqual(after.state.aliases, [{ alias: 'production', version: '1' }]);
    assert.equal(after.state.audit[0].evidenceRunId, evidence);
  });
});

describe('link policy and CSP shell', () => {
  const server = 'http://127.0.0.1:5000';
  it('opens only http(s) links on the configured server', () => {
    assert.deepEqual(checkLink('http://127.0.0.1:5000/#/experiments/1/runs/a', server), { ok: true, url: 'http://127.0.0.1:5000/#/experiments/1/runs/a' });
    for (const [url, re] of [['javascript:alert(1)', /Only http and https/], ['file:///etc/passwd', /Only http and https/], ['command:workbench.action.terminal.new', /Only http/],
      ['https://evil.example/x', /Only links to the MLflow server/], ['http://u:p@127.0.0.1:5000/', /credentials/], ['not a url', /Not a valid URL/]] as const) {
      assert.match((checkLink(url, server) as { reason: string }).reason, re, url);
    }
    assert.match((checkLink('https://x.org', null) as { reason: string }).reason, /No MLflow server/);
  });
  it('builds a nonce CSP with no remote sources', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]{20,}$/);
    assert.notEqual(nonce, makeNonce());
    const csp = contentSecurityPolicy('vscode-resource:', nonce);
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src vscode-resource: 'nonce-${nonce}'; font-src vscode-resource:; img-src vscode-resource: data:`);
    const html = webviewHtml({ title: 'T<"x">', cspSource: 'vscode-resource:', nonce, scriptUri: 'vscode-resource:/c.js', styleUri: 'vscode-resource:/p.css' });
    assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-resource:/c.js"></script>`));
    assert.ok(html.includes('T&lt;&quot;x&quot;&gt;'));
    assert.ok(!/https?:\/\//.test(html));
  });
});
