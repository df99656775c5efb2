import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitLogBatch } from '../../../src/core/tracking/mlflow/batching';
import { MlflowHttp } from '../../../src/core/tracking/mlflow/httpClient';
import { TrackingError } from '../../../src/core/tracking/types';
import { Journal } from '../../../src/core/tracking/mlflow/journal';
import { addLinkedPrompt } from '../../../src/core/tracking/mlflow/promptTags';
import { formTags } from '../../../src/core/registry/promptForm';
import { toRegistryPromptVersion } from '../../../src/core/registry/promptStore';

describe('MLflow client parts', function () {
  it('splits log-batch within 1000 metrics / 100 params / 100 tags / 1 MB per request', function () {
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'm', value: i, timestamp: i, step: i }));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const chunks = splitLogBatch({ metrics, params, tags });
    for (const c of chunks) {
      assert.ok(c.metrics.length <= 1000 && c.params.length <= 100 && c.tags.length <= 100);
      assert.ok(c.metrics.length + c.params.length + c.tags.length <= 1000);
      assert.ok(JSON.stringify(c).length < 1_000_000);
    }
    assert.equal(chunks.flatMap((c) => c.metrics).length, 2500);
    assert.deepEqual(chunks.flatMap((c) => c.params).map((p) => p.key), params.map((p) => p.key));
    assert.equal(chunks.flatMap((c) => c.tags).length, 101);
    const big = splitLogBatch({ tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'x'.repeat(8000) })), params: Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'x'.repeat(6000) })) });
    assert.ok(big.length >= 2);
    for (const c of big) assert.ok(JSON.stringify(c).length < 1_000_000);
    assert.deepEqual(splitLogBatch({}), []);
  });

  it('journals entries in order and remembers delivered ones', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-journal-'));
    try {
      const j = new Journal(dir);
      const a = j.append({ op: 'setTag', runId: 'r', key: 'k', value: '1' });
      const b = j.append({ op: 'setTag', runId: 'r', key: 'k', value: '2' });
      assert.equal(j.count(), 2);
      const pending = new Journal(dir).pending();
      assert.deepEqual(pending.map((p) => p.entry.id), [a.id, b.id]);
      j.markDelivered(pending[0].entry, pending[0].file);
      assert.deepEqual(new Journal(dir).pending().map((p) => p.entry.id), [b.id]);
      // A copy of a delivered entry reappearing (crash between record and delete) is dropped.
      fs.writeFileSync(path.join(dir, '000000000000000-000000-copy.json'), JSON.stringify(a));
      assert.deepEqual(new Journal(dir).pending().map((p) => p.entry.id), [b.id]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes prompt versions with MLflow tags and reads them back', function () {
    const tags = formTags({ type: 'text', template: 'Hi {{x}}' });
    assert.deepEqual(tags, [
      { key: 'mlflow.prompt.is_prompt', value: 'true' },
      { key: 'mlflow.prompt.text', value: 'Hi {{x}}' },
      { key: '_mlflow_prompt_type', value: 'text' },
    ]);
    const pv = toRegistryPromptVersion({ name: 'p', version: '3', tags: [...tags, { key: 'author', value: 'me' }], aliases: ['prod'], description: 'msg' });
    assert.deepEqual([pv?.template, pv?.commitMessage, pv?.tags, pv?.aliases, pv?.form], ['Hi {{x}}', 'msg', [{ key: 'author', value: 'me' }], ['prod'], { type: 'text', template: 'Hi {{x}}' }]);
    assert.equal(toRegistryPromptVersion({ name: 'm', version: '1', tags: [], aliases: [] }), undefined);
  });

  it('adds linked prompts as a JSON list without duplicates', function () {
    const one = addLinkedPrompt(undefined, { name: 'a', version: '1' });
    assert.deepEqual(JSON.parse(one), [{ name: 'a', version: '1' }]);
    const two = addLinkedPrompt(one, { name: 'b', version: '2' });
    assert.equal(addLinkedPrompt(two, { name: 'a', version: '1' }), two);
    // Written by MLflow's Python client (json.dumps spacing) is read the same.
    assert.deepEqual(JSON.parse(addLinkedPrompt('[{"name": "a", "version": "1"}]', { name: 'a', version: '2' })), [{ name: 'a', version: '1' }, { name: 'a', version: '2' }]);
  });

  it('keeps credentials from the URL out of the displayed location and refuses non-http URLs', function () {
    const h = new MlflowHttp({ url: 'http://alice:s3cret@127.0.0.1:5000/prefix', env: {} });
    assert.equal(h.displayUrl, 'http://127.0.0.1:5000/prefix');
    assert.ok(h.hasCredentials);
    h.close();
    assert.throws(() => new MlflowHttp({ url: 'ftp://x', env: {} }), TrackingError);
    assert.throws(
      () => new MlflowHttp({ url: 'https://x', env: { MLFLOW_TRACKING_INSECURE_TLS: 'true', MLFLOW_TRACKING_SERVER_CERT_PATH: '/x.pem' } }),
      (e: unknown) => e instanceof TrackingError && /unset one/.test(e.message),
    );
  });
});
