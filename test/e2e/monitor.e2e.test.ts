// Monitor in the real VS Code (code-server + Chromium) on traces an app wrote with MLflow's own
// Python client: the app loads prompts:/summarize@production inside each @mlflow.trace (so MLflow
// links the traces to version 1), and Show Monitor on v1 in the Registry view shows their count,
// errors and latency, the trace list, and a trace's span tree. Screenshot
// test-output/e2e/monitor-python-traces.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { registryViewRows, runContextMenu, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflowServer';
import { runMlflowPython } from '../helpers/pythonMlflow';

const N = 8;
// Every 4th call raises (2 errors of 8); each sleeps 40 ms in a CHAT_MODEL span with token usage.
const APP = `
import json, time, mlflow
from mlflow.entities import SpanType
mlflow.set_experiment("summarizer-prod")
mlflow.genai.register_prompt("summarize", "Summarize: {{text}}")
mlflow.genai.set_prompt_alias("summarize", alias="production", version=1)

@mlflow.trace(span_type=SpanType.CHAIN)
def serve(i, text):
    prompt = mlflow.genai.load_prompt("prompts:/summarize@production")
    with mlflow.start_span(name="llm", span_type=SpanType.CHAT_MODEL) as s:
        s.set_inputs({"messages": [{"role": "user", "content": prompt.format(text=text)}]})
        time.sleep(0.04)
        s.set_attribute("mlflow.chat.tokenUsage", {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15})
        s.set_outputs("summary %d" % i)
    if i % 4 == 3:
        raise RuntimeError("upstream timeout %d" % i)
    return "summary %d" % i

for i in range(${N}):
    try:
        serve(i, "text number %d" % i)
    except RuntimeError:
        pass
mlflow.flush_trace_async_logging()
print(json.dumps(${N}))
`;

describe('Monitor panel in the real VS Code UI, on traces from a Python app', function () {
  let mlflow: MlflowServer;
  const shots = screenshotDir('e2e');

  before(async () => {
    mlflow = await startMlflowServer();
    await runMlflowPython<number>(mlflow.url, APP);
  });
  const wb = useWorkbench({ workspace: makeExampleWorkspace, failureShot: 'monitor-failure.png', settings: () => ({ 'promptLedger.trackingUri': mlflow.url }) });
  after(async () => { await mlflow?.stop(); });

  it('Show Monitor on summarize v1 shows the app\'s traces: count, errors, list and a span tree', async () => {
    const { page } = wb;
    const rows = await registryViewRows(page);
    const summarize = rows.filter({ hasText: 'summarize' }).first();
    await summarize.waitFor({ timeout: 30_000 });
    await summarize.click();
    const v1 = rows.filter({ hasText: /^v1/ }).first();
    await v1.waitFor({ timeout: 15_000 });
    await runContextMenu(page, v1, 'Show Monitor');

    await page.locator('.tab', { hasText: 'Monitor: summarize/1' }).first().waitFor({ timeout: 20_000 });
    const monitor = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await monitor.locator(`#app[data-count="${N}"]`).waitFor({ timeout: 30_000 });
    const summary = await monitor.locator('#summary').innerText();
    assert.match(summary, new RegExp(`Traces\\s+${N}`), summary);
    assert.match(summary, /Errors?\s+2\b/, summary);
    // Each call sleeps 40 ms inside its trace: the median latency is at least that.
    const p50 = Number(/Latency p50\s+(\d+) ms/.exec(summary)?.[1]);
    assert.ok(p50 >= 40 && p50 < 2000, `p50 ${p50} ms`);
    const traceRows = monitor.locator('#traces tr.trace-row');
    await traceRows.first().waitFor({ timeout: 20_000 });
    assert.equal(await traceRows.count(), N);
    assert.equal(await monitor.locator('#traces tr.trace-row.error').count(), 2);

    // A trace opens as its span tree: the app's root span and its llm child, as text.
    await traceRows.first().click();
    const tree = monitor.locator('#trace');
    await tree.getByText('llm').first().waitFor({ timeout: 20_000 });
    assert.match(await tree.innerText(), /serve/);
    await page.mouse.move(700, 600);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, 'monitor-python-traces.png') });
  });
});
