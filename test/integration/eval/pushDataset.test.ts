// `prompt-ledger eval --push-dataset` against a real MLflow server (SQL backend): the suite's
// dataset becomes an MLflow evaluation dataset of the run's experiment, read back with MLflow's
// Python client (get_dataset by name: inputs, expectations, the source document path@commit);
// pushing again updates the same records instead of adding copies. On the embedded store the
// suite's `push_dataset: true` says clearly that nothing was pushed and why.
import assert from 'node:assert/strict';
import { startMlflowServer, type MlflowServer } from '../../helpers/mlflowServer';
import { runMlflowPython } from '../../helpers/pythonMlflow';
import { makeRepo, type TestRepo } from '../../helpers/gitRepo';
import { runCliInProcess } from './cliInProcess';

const CASES = [
  { id: 'c1', vars: { word: 'alpha' }, expected: 'alpha' },
  { id: 'c2', vars: { word: 'beta' }, expected: 'beta' },
  { id: 'c3', vars: { word: 'gamma' } },
];

function workspace(suiteExtra = ''): { repo: TestRepo; commit: string } {
  const repo = makeRepo();
  repo.write('p.md', '---\nname: p\n---\nEcho {{ word }}\n');
  repo.write('data/cases.jsonl', CASES.map((c) => JSON.stringify(c)).join('\n') + '\n');
  repo.write('s.eval.yaml', `prompt: p.md\ndataset: data/cases.jsonl\nmodels:\n  - provider: echo\nscorers:\n  - type: contains\n    value: "{{word}}"\n${suiteExtra}`);
  return { repo, commit: repo.commit('suite') };
}

const PY_DATASET = `
import json, mlflow
from mlflow.genai.datasets import get_dataset
d = get_dataset(name="data/cases.jsonl")
df = d.to_df()
rows = sorted(({"inputs": r["inputs"], "expectations": r["expectations"], "source": r["source"].source_data if hasattr(r["source"], "source_data") else r["source"]} for _, r in df.iterrows()), key=lambda r: r["inputs"]["word"])
print(json.dumps({"id": d.dataset_id, "experiments": d.experiment_ids, "n": len(df), "rows": rows}, default=str))
`;

describe('eval --push-dataset: the suite\'s dataset as an MLflow evaluation dataset', function () {
  let server: MlflowServer;
  before(async function () { server = await startMlflowServer(); });
  after(async function () { await server?.stop(); });

  it('creates it on a SQL-backed server with inputs, expectations and source path@commit; a second push updates, not doubles', async function () {
    const { repo, commit } = workspace();
    try {
      const first = await runCliInProcess(['s.eval.yaml', '--tracking-uri', server.url, '--push-dataset'], repo.dir);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Dataset pushed to new MLflow evaluation dataset 'data\/cases\.jsonl' \(d-[0-9a-f]+\): 3 records, 3 new, 0 updated/);
      const got = await runMlflowPython<{ id: string; experiments: string[]; n: number; rows: { inputs: unknown; expectations: unknown; source: unknown }[] }>(server.url, PY_DATASET);
      assert.equal(got.n, 3);
      assert.deepEqual(got.rows.map((r) => [r.inputs, r.expectations]), [
        [{ word: 'alpha' }, { expected_response: 'alpha' }], [{ word: 'beta' }, { expected_response: 'beta' }], [{ word: 'gamma' }, null],
      ]);
      assert.ok(JSON.stringify(got.rows[0].source).includes(`data/cases.jsonl@${commit}`), `source: ${JSON.stringify(got.rows[0].source)}`);

      const second = await runCliInProcess(['s.eval.yaml', '--tracking-uri', server.url, '--push-dataset'], repo.dir);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /Dataset synced to MLflow evaluation dataset 'data\/cases\.jsonl' \(d-[0-9a-f]+\): 3 records, 0 new, 3 updated/);
      const again = await runMlflowPython<{ id: string; n: number }>(server.url, PY_DATASET);
      assert.equal(again.id, got.id, 'the same dataset');
      assert.equal(again.n, 3, 'no copies of the records');
    } finally { repo.cleanup(); }
  });

  it('says the embedded store has no evaluation datasets when the suite asks for push_dataset', async function () {
    const { repo } = workspace('push_dataset: true\n');
    try {
      const r = await runCliInProcess(['s.eval.yaml', '--tracking-uri', `${repo.dir}/.promptledger`], repo.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /--push-dataset: not pushed\. The embedded store has no MLflow evaluation datasets/);
    } finally { repo.cleanup(); }
  });
});
