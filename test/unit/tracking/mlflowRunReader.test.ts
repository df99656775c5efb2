// runReader.ts replaces zod for run answers (speed); it must accept, default and refuse exactly
// like the zod runSchema it replaces.
import assert from 'node:assert/strict';
import { readRunAnswer, readSearchRunsAnswer } from '../../../src/core/tracking/mlflow/runReader';
import { responses, toRun } from '../../../src/core/tracking/mlflow/schemas';
import { TrackingError } from '../../../src/core/tracking/types';

function viaZod(body: unknown): unknown {
  const r = responses.searchRuns.safeParse(body);
  return r.success ? { items: r.data.runs.map(toRun), nextPageToken: r.data.next_page_token || undefined } : 'error';
}

function viaReader(body: unknown): unknown {
  try {
    return readSearchRunsAnswer(body, 'runs/search');
  } catch (e) {
    assert.ok(e instanceof TrackingError);
    assert.equal(e.code, 'INTERNAL_ERROR');
    assert.match(e.message, /^Unexpected answer from the MLflow server for runs\/search: (\S+|the answer): expected /);
    return 'error';
  }
}

const full = {
  info: {
    run_id: 'abc', run_uuid: 'abc', run_name: 'r1', experiment_id: '1', user_id: 'u', status: 'FINISHED',
    start_time: '1700000000000', end_time: 1700000001000, artifact_uri: 'mlflow-artifacts:/1/abc/artifacts', lifecycle_stage: 'active', extra: 1,
  },
  data: {
    metrics: [{ key: 'm', value: 0.5, timestamp: '12', step: '3' }, { key: 'n', value: 'NaN' }, { key: 'i', value: 'Infinity', timestamp: 1 }, { key: 'j', value: '-Infinity' }, { key: 'k', value: '2.5' }],
    params: [{ key: 'p', value: 'v' }, { key: 'empty' }],
    tags: [{ key: 'mlflow.runName', value: 'r1', extra: true }],
  },
};

describe('MLflow run reader (no zod on the search path)', () => {
  it('maps runs like the zod schema, defaults included', () => {
    const bodies: unknown[] = [
      {},
      { runs: [] },
      { runs: [full], next_page_token: 'tok' },
      { runs: [full], next_page_token: '' },
      { runs: [{ info: { run_uuid: 'x', experiment_id: '2' } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '2', status: 'WEIRD' }, data: {} }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '2', user_id: '' }, data: { params: [] } }] },
    ];
    for (const b of bodies) {
      const ours = viaReader(b);
      assert.notEqual(ours, 'error', JSON.stringify(b));
      assert.deepEqual(ours, viaZod(b), JSON.stringify(b));
    }
  });

  it('refuses malformed answers with a typed error where zod refuses them', () => {
    const bad: unknown[] = [
      null, [], 'html', { runs: {} }, { runs: [null] }, { runs: [{}] }, { runs: [{ info: { run_id: 'x' } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: 2 } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1', start_time: true } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1', status: null } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1' }, data: [] }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1' }, data: { params: [{ key: 1, value: 'v' }] } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1' }, data: { tags: [{ key: 'k', value: 1 }] } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1' }, data: { metrics: [{ key: 'k' }] } }] },
      { runs: [{ info: { run_id: 'x', experiment_id: '1' }, data: { metrics: [{ key: 'k', value: 1, step: {} }] } }] },
      { runs: [], next_page_token: 5 },
    ];
    for (const b of bad) {
      assert.equal(viaZod(b), 'error', `zod accepts ${JSON.stringify(b)}`);
      assert.equal(viaReader(b), 'error', `reader accepts ${JSON.stringify(b)}`);
    }
  });

  it('names the path of the bad field', () => {
    assert.throws(
      () => readSearchRunsAnswer({ runs: [full, { info: { run_id: 'x', experiment_id: '1' }, data: { params: [{ key: 'a' }, { key: 7 }] } }] }, 'runs/search'),
      (e: unknown) => e instanceof TrackingError && /runs\/search: runs\.1\.data\.params\.1\.key: expected a string/.test(e.message),
    );
    assert.throws(() => readRunAnswer({}, 'runs/get'), (e: unknown) => e instanceof TrackingError && /runs\/get: run: expected an object/.test(e.message));
    assert.deepEqual(readRunAnswer({ run: full }, 'runs/get'), (viaZod({ runs: [full] }) as { items: unknown[] }).items[0]);
  });
});
