// The compare panel's case → trace link, host side, on real stores: runSuite records traces on a
// real MLflow server (and in the embedded store); the CompareSession finds a case's trace in a
// run by the run link and case tags the trace writer puts on it, answers with its span tree and,
// on the server, the trace's page in MLflow's UI, which Chromium opens with the trace in it.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/codeServer';
import { screenshotPath } from './panelHarness';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { runSuite } from '../../../src/core/eval/runner';
import { loadComparison } from '../../../src/core/compare/loadComparison';
import { findCaseTrace } from '../../../src/core/compare/caseTraceLookup';
import { CompareSession } from '../../../src/extension/panels/compareSession';
import { mlflowTraceUrl } from '../../../src/extension/panels/linkPolicy';
import { loadCaseTraceResultSchema, type CompareToWebview } from '../../../src/protocol/compareProtocol';
import type { SpanNodeWire } from '../../../src/protocol/spanTreeProtocol';
import { makeEvalWorkspace, WORDS, type EvalWorkspace } from '../eval/evalWorkspace';

const SUITE = `prompt: p.prompty
dataset: cases.jsonl
repeat: 2
models:
  - provider: echo
scorers:
  - type: icontains
    value: "{{word}}"
`;

/** Runs the suite on `store`, then asks a CompareSession of that run for case `key`'s trace. */
async function caseTraceReply(ws: EvalWorkspace, key: string, serverUrl?: string) {
  const { store } = ws;
  const posted: CompareToWebview[] = [];
  const res = await runSuite(ws.suite(SUITE), { store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir });
  const { runId, experimentId } = res.runs[0];
  const session = new CompareSession({
    load: async (b) => (await loadComparison(store, [runId], b)).model,
    post: (m) => posted.push(m),
    openRun: () => undefined,
    openLink: () => undefined,
    loadTrace: (ref) => findCaseTrace(store, ref),
    traceUrl: serverUrl ? (e, t) => mlflowTraceUrl(serverUrl, e, t) : undefined,
    log: (m) => assert.fail(m),
  });
  await session.handle({ type: 'loadCaseTrace', id: 't1', key, runIndex: 0 });
  const reply = posted.find((m) => m.type === 'reply') as { ok: boolean; result?: unknown; error?: string };
  assert.ok(reply?.ok, `loadCaseTrace failed: ${reply?.error}`);
  return { runId, experimentId, trace: loadCaseTraceResultSchema.parse(reply.result), session, posted };
}

const names = (spans: SpanNodeWire[]): string[] => spans.flatMap((s) => [s.name, ...names(s.children)]);

describe('compare panel: a case row\'s trace (real MLflow server and embedded store)', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let browser: Browser;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await store?.close();
    await server?.stop();
  });

  it('finds the trace of case c1, repeat 1 on the server: span tree, MLflow\'s trace id and a UI link that opens it', async function () {
    const ws = await makeEvalWorkspace({ store });
    try {
      const { runId, experimentId, trace, session, posted } = await caseTraceReply(ws, 'id:c1#1', server.url);
      // The same trace as MLflow's own client finds for that case and repeat.
      const py = await runMlflowPython<string[]>(server.url, `
import json, mlflow
ts = mlflow.search_traces(run_id=${JSON.stringify(runId)}, locations=[${JSON.stringify(experimentId)}], return_type="list")
print(json.dumps([t.info.trace_id for t in ts if t.info.tags["promptledger.caseId"] == "c1" and t.info.tags["promptledger.repeat"] == "1"]))`);
      assert.deepEqual(py, [trace.traceId]);
      assert.equal(trace.state, 'OK');
      assert.equal(trace.spans.length, 1, 'one root span');
      const root = trace.spans[0];
      assert.deepEqual(names(trace.spans), ['shout', 'render prompt', 'echo', 'icontains']);
      assert.match(root.inputs, new RegExp(`"word": "${WORDS[1]}"`));
      assert.ok(root.children.every((c) => c.startOffsetMs >= 0 && c.durationMs >= 0));
      assert.equal(trace.mlflowUrl, `${server.url}/#/experiments/${experimentId}/traces?selectedEvaluationId=${trace.traceId}`);

      // A case without a trace says so instead of showing someone else's.
      posted.length = 0;
      await session.handle({ type: 'loadCaseTrace', id: 't2', key: 'id:nope', runIndex: 0 });
      assert.match(String((posted[0] as { error?: string }).error), /No case 'id:nope'/);

      // MLflow's UI opens that URL with the trace's spans in view.
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      try {
        await page.goto(trace.mlflowUrl!);
        await page.locator('[data-component-id="mlflow.assistant.chat_panel.close"]').first().click({ timeout: 5000 }).catch(() => undefined);
        await page.getByText('render prompt').first().waitFor({ state: 'visible', timeout: 30_000 });
        await page.screenshot({ path: screenshotPath('mlflow-trace-from-compare') });
        // The drawer's header names the trace by the first 8 hex digits of its id.
        await page.getByText(trace.traceId.slice(3, 11), { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
      } finally { await page.close(); }
    } finally { await ws.cleanup(); }
  });

  it('finds the trace in the embedded store (the run\'s trace artifacts), without an MLflow link', async function () {
    const ws = await makeEvalWorkspace();
    try {
      const { trace } = await caseTraceReply(ws, 'id:c2');
      assert.match(trace.traceId, /^tr-[0-9a-f]{32}$/);
      assert.deepEqual(names(trace.spans), ['shout', 'render prompt', 'echo', 'icontains']);
      assert.match(trace.spans[0].inputs, new RegExp(`"word": "${WORDS[2]}"`));
      assert.equal(trace.mlflowUrl, null);
    } finally { await ws.cleanup(); }
  });
});
