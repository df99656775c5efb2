// What our client writes, MLflow's own Python client reads back (and the other way round).
import { getPrompt, registerPrompt, searchPrompts } from '../../../src/core/registry/promptStore';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startMlflowServer } from '../../helpers/mlflowServer';
import type { MlflowServer } from '../../helpers/mlflowServer';
import { venvPython } from '../../setup/versions.mjs';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';

const run = promisify(execFile);

async function python(server: MlflowServer, script: string): Promise<any> {
  const file = path.join(server.dir, `check-${Date.now()}.py`);
  fs.writeFileSync(file, script);
  const { stdout } = await run(venvPython(), [file], {
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_ENABLE_ASYNC_LOGGING: 'false', GIT_PYTHON_REFRESH: 'quiet' },
    cwd: server.dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line);
}

describe('MLflow server: cross-check with MLflow\'s Python client', function () {
  let server: MlflowServer;
  let store: MlflowStore;
  before(async function () {
    server = await startMlflowServer();
    store = new MlflowStore({ url: server.url, env: {} });
  });
  after(async function () {
    await store?.close();
    await server?.stop();
  });

  it('reads back runs, params, stepped metrics, tags and artifacts written by our client', async function () {
    const exp = await store.createExperiment('cross-check');
    const r = await store.createRun({ experimentId: exp, runName: 'from-ts', tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }] });
    const id = r.info.runId;
    await store.logBatch(id, {
      params: [{ key: 'model', value: 'gpt-x' }, { key: 'prompt/hash', value: 'sha256:ff' }],
      metrics: [0, 1, 2].map((step) => ({ key: 'quality/mean', value: step / 10, timestamp: 1_700_000_000_000 + step, step })),
      tags: [{ key: 'team', value: 'ml' }],
    });
    await store.uploadArtifact(id, 'eval_results_table.json', JSON.stringify({ columns: ['a'], data: [[1]] }));
    await store.uploadArtifact(id, 'prompts/rendered.txt', 'Hello ünïcödé');
    await store.updateRun(id, { status: 'FINISHED', endTime: Date.now() });
    const got = await python(server, `
import json, mlflow
from mlflow import MlflowClient
c = MlflowClient()
r = c.get_run(${JSON.stringify(id)})
hist = [(m.step, m.value) for m in c.get_metric_history(r.info.run_id, "quality/mean")]
arts = sorted(a.path for a in c.list_artifacts(r.info.run_id)) + sorted(a.path for a in c.list_artifacts(r.info.run_id, "prompts"))
local = mlflow.artifacts.download_artifacts(run_id=r.info.run_id, artifact_path="prompts/rendered.txt")
print(json.dumps({"name": r.info.run_name, "status": r.info.status, "params": r.data.params, "metrics": r.data.metrics,
  "tags": {k: v for k, v in r.data.tags.items()}, "hist": sorted(hist), "arts": arts, "text": open(local, encoding="utf-8").read()}))
`);
    assert.equal(got.name, 'from-ts');
    assert.equal(got.status, 'FINISHED');
    assert.deepEqual(got.params, { model: 'gpt-x', 'prompt/hash': 'sha256:ff' });
    assert.equal(got.metrics['quality/mean'], 0.2);
    assert.deepEqual(got.hist, [[0, 0], [1, 0.1], [2, 0.2]]);
    assert.equal(got.tags.team, 'ml');
    assert.equal(got.tags['mlflow.source.git.commit'], 'abc123');
    assert.deepEqual(got.arts, ['eval_results_table.json', 'prompts', 'prompts/rendered.txt']);
    assert.equal(got.text, 'Hello ünïcödé');
  });

  it('loads a prompt registered by our client with mlflow.genai.load_prompt("prompts:/name@alias")', async function () {
    const template = 'Summarize for {{ audience }}:\n{{text}}';
    await registerPrompt(store, 'summarize', 'old {{text}}', { commitMessage: 'v1' });
    await registerPrompt(store, 'summarize', template, { commitMessage: 'v2', tags: [{ key: 'author', value: 'ts' }] });
    await store.setAlias('summarize', 'production', '2');
    const got = await python(server, `
import json, mlflow
p = mlflow.genai.load_prompt("prompts:/summarize@production")
v1 = mlflow.genai.load_prompt("prompts:/summarize/1")
print(json.dumps({"template": p.template, "version": p.version, "msg": p.commit_message, "vars": sorted(p.variables),
  "formatted": p.format(audience="kids", text="T"), "v1": v1.template, "tags": p.tags}))
`);
    assert.equal(got.template, template);
    assert.equal(String(got.version), '2');
    assert.equal(got.msg, 'v2');
    assert.deepEqual(got.vars, ['audience', 'text']);
    assert.equal(got.formatted, 'Summarize for kids:\nT');
    assert.equal(got.v1, 'old {{text}}');
    assert.equal(got.tags.author, 'ts');
  });

  it('reads a prompt registered and linked by MLflow\'s Python client', async function () {
    const exp = await store.createExperiment('py-linked');
    const r = await store.createRun({ experimentId: exp });
    await python(server, `
import json, mlflow
from mlflow import MlflowClient
mlflow.genai.register_prompt(name="py-prompt", template="Hi {{name}}", commit_message="from python", tags={"lang": "en"})
mlflow.genai.set_prompt_alias("py-prompt", alias="staging", version=1)
MlflowClient().link_prompt_version_to_run(${JSON.stringify(r.info.runId)}, mlflow.genai.load_prompt("prompts:/py-prompt/1"))
print(json.dumps({}))
`);
    const p = await getPrompt(store, 'py-prompt', { alias: 'staging' });
    assert.equal(p.template, 'Hi {{name}}');
    assert.equal(p.commitMessage, 'from python');
    assert.equal(p.tags.find((t) => t.key === 'lang')?.value, 'en');
    const linked = (await store.getRun(r.info.runId)).data.tags.find((t) => t.key === 'mlflow.linkedPrompts')?.value;
    assert.deepEqual(JSON.parse(linked!), [{ name: 'py-prompt', version: '1' }]);
    // Our link appends to the list Python wrote, in the same format.
    await registerPrompt(store, 'ts-prompt', 'x');
    await store.linkPromptToRun(r.info.runId, { name: 'ts-prompt', version: '1' });
    const both = (await store.getRun(r.info.runId)).data.tags.find((t) => t.key === 'mlflow.linkedPrompts')?.value;
    assert.deepEqual(JSON.parse(both!), [{ name: 'py-prompt', version: '1' }, { name: 'ts-prompt', version: '1' }]);
    const search = await searchPrompts(store, { filter: "name = 'py-prompt'" });
    assert.deepEqual(search.items.map((m) => m.name), ['py-prompt']);
  });
});
