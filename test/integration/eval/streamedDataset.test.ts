// A run reads its CSV dataset as a stream and each case back from disk (datasetFile.ts): the
// cases sent, recorded and tabled are the file's, in order, quoted multi-line fields included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { behaviors, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fakeLlmServer';
import { runSuite } from '../../../src/core/eval/runner';
import { makeEvalWorkspace, metricsOf, type EvalWorkspace } from './evalWorkspace';

describe('eval runner on a streamed CSV dataset (fake LLM server, embedded store)', () => {
  let server: FakeLlmServer;
  let ws: EvalWorkspace;
  before(async () => {
    server = await startFakeLlmServer();
    server.setBehavior(behaviors.echo());
    ws = await makeEvalWorkspace();
  });
  after(async () => {
    await server.stop();
    await ws.cleanup();
  });

  it('every row once, in file order, with its vars, expected and id', async () => {
    const rows = ['id,word,expected', 'q1,"two\nlines",two', '', 'q2,"a, b",a'];
    for (let i = 0; i < 40; i++) rows.push(`r${i},w${i},w${i}`);
    fs.writeFileSync(path.join(ws.dir, 'cases.csv'), `${rows.join('\r\n')}\r\n`);
    const suite = ws.suite(`prompt: p.prompty
dataset: cases.csv
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${server.url}/v1
    noAuth: true
scorers:
  - type: icontains
concurrency: 8
`);
    const res = await runSuite(suite, { store: ws.store, workspaceRoot: ws.dir, trusted: true, cacheDir: ws.cacheDir, noCache: true, providerCtx: { env: {} } });
    assert.equal(res.status, 'FINISHED');
    assert.equal(server.requests.length, 42);
    assert.equal(metricsOf(await ws.store.getRun(res.runs[0].runId)).pass_rate, 1);
    const table = JSON.parse(Buffer.from(await ws.store.downloadArtifact(res.runs[0].runId, 'eval_results_table.json')).toString('utf8')) as { data: unknown[][] };
    assert.deepEqual(table.data.map((r) => r[0]), ['q1', 'q2', ...Array.from({ length: 40 }, (_, i) => `r${i}`)]);
    assert.deepEqual(table.data[0].slice(2, 4), [{ word: 'two\nlines' }, 'two']);
    assert.deepEqual(table.data[1].slice(2, 4), [{ word: 'a, b' }, 'a']);
    assert.deepEqual(table.data[41].slice(2, 4), [{ word: 'w39' }, 'w39']);
  });
});
