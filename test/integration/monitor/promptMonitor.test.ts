// Monitor against a real MLflow server: a small app written with MLflow's own Python client loads
// `prompts:/summarize@production` inside each trace (@mlflow.trace), so MLflow links the traces to
// that prompt version; our monitor finds exactly those, with their errors, latency, tokens and
// feedback, and reads one trace's spans as a tree.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { MONITOR_NEEDS_SERVER, monitorTracePage, planMonitor, summarizeMonitor } from '../../../src/core/monitor/promptMonitor';
import { getTrace } from '../../../src/core/monitor/traceSearch';
import { spanTree } from '../../../src/core/monitor/traceSpans';
import { monitorCommand } from '../../../src/cli/monitorCommand';
import { MonitorSession } from '../../../src/extension/panels/monitorSession';
import type { MonitorToWebview } from '../../../src/protocol/monitorProtocol';

const N = 12;
const ERRORS = 3;

// Version 1 is @production; version 2 exists but the app never loads it. Each trace sleeps
// 50 + 10·i ms; every 4th one raises. A CHAT_MODEL child span reports token usage, and each
// trace gets a boolean "concise" feedback (true for even i).
const APP = `
import json, time, mlflow
from mlflow.entities import SpanType
mlflow.set_experiment("summarizer-prod")
mlflow.genai.register_prompt("summarize", "Summarize: {{text}}")
mlflow.genai.register_prompt("summarize", "Summarize briefly: {{text}}")
mlflow.genai.set_prompt_alias("summarize", alias="production", version=1)

@mlflow.trace(span_type=SpanType.CHAIN)
def serve(i, text):
    prompt = mlflow.genai.load_prompt("prompts:/summarize@production")
    with mlflow.start_span(name="llm", span_type=SpanType.CHAT_MODEL) as s:
        s.set_inputs({"messages": [{"role": "user", "content": prompt.format(text=text)}]})
        time.sleep((50 + 10 * i) / 1000)
        s.set_attribute("mlflow.chat.tokenUsage", {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15})
        s.set_outputs("summary %d" % i)
    if i % 4 == 3:
        raise RuntimeError("upstream timeout %d" % i)
    return "summary %d" % i

ids = []
for i in range(${N}):
    try:
        serve(i, "text number %d" % i)
    except RuntimeError:
        pass
    tid = mlflow.get_last_active_trace_id()
    ids.append(tid)
# Traces are exported in the background: flush before attaching feedback to them.
mlflow.flush_trace_async_logging()
for i, tid in enumerate(ids):
    mlflow.log_feedback(trace_id=tid, name="concise", value=(i % 2 == 0))
print(json.dumps({"ids": ids, "ms": [mlflow.get_trace(t).info.execution_duration for t in ids]}))
`;

describe('Monitor: production traces of a prompt version on a real MLflow server', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  let traceIds: string[];
  /** Each trace's execution time as MLflow's Python client reads it. */
  let durations: number[];
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
    ({ ids: traceIds, ms: durations } = await runMlflowPython<{ ids: string[]; ms: number[] }>(server.url, APP));
  });
  after(async function () {
    await server?.stop();
  });

  it('resolves @production to the loaded version and counts its traces, errors, latency, tokens and feedback', async function () {
    const target = await planMonitor(store, 'summarize@production');
    assert.equal(target.version, '1');
    const r = await summarizeMonitor(store, target, { maxTraces: 100 });
    assert.equal(r.summary.count, N);
    assert.equal(r.summary.errors, ERRORS);
    assert.equal(r.truncated, false);
    // numpy's percentile over the durations MLflow's own client reads (exact, whatever the
    // machine's load; the same rule as run metrics); the sleeps (50..160 ms) bound them from below.
    const got = await runMlflowPython<{ p50: number; p95: number }>(server.url, `
import json, numpy
ms = ${JSON.stringify(durations)}
print(json.dumps({"p50": float(numpy.percentile(ms, 50)), "p95": float(numpy.percentile(ms, 95))}))`);
    assert.ok(Math.abs(r.summary.latencyP50Ms! - got.p50) < 1e-9, `p50 ${r.summary.latencyP50Ms} vs numpy ${got.p50}`);
    assert.ok(Math.abs(r.summary.latencyP95Ms! - got.p95) < 1e-9, `p95 ${r.summary.latencyP95Ms} vs numpy ${got.p95}`);
    assert.ok(r.summary.latencyP50Ms! >= 100 && r.summary.latencyP95Ms! >= 150, `p50 ${r.summary.latencyP50Ms}, p95 ${r.summary.latencyP95Ms}`);
    assert.equal(r.summary.totalTokens, N * 15);
    assert.deepEqual(r.summary.assessments, [{ name: 'concise', mean: 0.5, count: N }]);
    assert.equal(r.summary.buckets.reduce((s, b) => s + b.count, 0), N);
  });

  it('a bounded sample says it is truncated; version 2 (never loaded) has no traces', async function () {
    const target = await planMonitor(store, 'summarize/1');
    const r = await summarizeMonitor(store, target, { maxTraces: 5 });
    assert.equal(r.scanned, 5);
    assert.equal(r.truncated, true);
    const v2 = await summarizeMonitor(store, await planMonitor(store, 'summarize/2'));
    assert.equal(v2.summary.count, 0);
  });

  it('pages the trace list newest first and reads a trace as a span tree', async function () {
    const target = await planMonitor(store, 'summarize@production');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await monitorTracePage(store, target, { pageSize: 5, pageToken: token });
      seen.push(...page.items.map((t) => t.trace_id));
      token = page.nextPageToken;
    } while (token);
    assert.deepEqual([...seen].sort(), [...traceIds].sort());
    assert.equal(seen[0], traceIds[traceIds.length - 1]);
    const { spans } = await getTrace(store.httpClient, traceIds[3]);
    const [root] = spanTree(spans);
    assert.equal(root.name, 'serve');
    assert.equal(root.status, 'ERROR');
    assert.equal(root.children[0].name, 'llm');
    assert.match(root.children[0].inputs, /Summarize: text number 3/);
    assert.ok(root.children[0].durationMs >= 80, `llm span ${root.children[0].durationMs} ms`);
  });

  it('prompt-ledger monitor prints the summary and latest traces, as text and as JSON', async function () {
    const run = async (...argv: string[]) => {
      const out = new PassThrough();
      const err = new PassThrough();
      let text = '';
      out.on('data', (d) => { text += String(d); });
      const code = await monitorCommand(argv, { stdout: out, stderr: err, cwd: os.tmpdir(), env: {}, isTty: false });
      return { code, text };
    };
    const table = await run('summarize@production', '--tracking-uri', server.url, '--limit', '3');
    assert.equal(table.code, 0);
    assert.match(table.text, new RegExp(`^summarize/1: ${N} traces\\n  errors     ${ERRORS} \\(25\\.0%\\)`));
    assert.match(table.text, /concise +mean 0\.500 over 12/);
    assert.equal(table.text.split('\n').filter((l) => l.startsWith('tr-')).length, 3);
    const json = await run('summarize', '--tracking-uri', server.url, '--output', 'json');
    const parsed = JSON.parse(json.text) as { target: { version: string }; summary: { count: number }; traces: unknown[] };
    // A bare name is the latest version (2), which no app loaded.
    assert.deepEqual([parsed.target.version, parsed.summary.count, parsed.traces.length], ['2', 0, 0]);
  });

  it('the Monitor panel session answers ready with the summary, a page of rows and a trace\'s span tree', async function () {
    const sent: MonitorToWebview[] = [];
    const session = new MonitorSession('summarize@production', { store, post: (m) => sent.push(m), log: () => undefined });
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'page', id: 'w1' });
    await session.handle({ type: 'openTrace', id: 'w2', traceId: traceIds[0] });
    const init = sent.find((m) => m.type === 'init');
    assert.equal(init?.type === 'init' && init.state.summary.count, N);
    const page = sent.find((m) => m.type === 'reply' && m.replyTo === 'w1');
    assert.equal(((page as { result: { rows: unknown[] } }).result.rows).length, N);
    const trace = sent.find((m) => m.type === 'reply' && m.replyTo === 'w2') as { ok: boolean; result: { spans: { name: string }[] } };
    assert.equal(trace.ok, true);
    assert.equal(trace.result.spans[0].name, 'serve');
  });

  it('the embedded store says Monitor needs an MLflow server', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-monitor-'));
    try {
      const local = await openEmbeddedStore(dir);
      await assert.rejects(planMonitor(local, 'summarize'), (e: Error) => e.message === MONITOR_NEEDS_SERVER);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
