// runReader.ts is the one validation of MLflow's run answers (runs/get, runs/create, runs/search,
// runs/update): proto3 JSON with empty fields omitted and int64 as number or string is accepted
// and defaulted, anything else refused with a typed error naming the bad field's path.
import assert from 'node:assert/strict';
import { readRunAnswer, readRunInfoAnswer, readSearchRunsAnswer } from '../../../src/core/tracking/mlflow/runReader';
import { TrackingError, type Run } from '../../../src/core/tracking/types';

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

const fullRun: Run = {
  info: { runId: 'abc', runName: 'r1', experimentId: '1', userId: 'u', status: 'FINISHED', startTime: 1700000000000, endTime: 1700000001000, artifactUri: 'mlflow-artifacts:/1/abc/artifacts', lifecycleStage: 'active' },
  data: {
    metrics: [{ key: 'm', value: 0.5, timestamp: 12, step: 3 }, { key: 'n', value: NaN, timestamp: 0, step: 0 }, { key: 'i', value: Infinity, timestamp: 1, step: 0 }, { key: 'j', value: -Infinity, timestamp: 0, step: 0 }, { key: 'k', value: 2.5, timestamp: 0, step: 0 }],
    params: [{ key: 'p', value: 'v' }, { key: 'empty', value: '' }],
    tags: [{ key: 'mlflow.runName', value: 'r1' }],
  },
};
/** A run with only its id and experiment, defaulted. */
const bare: Run = {
  info: { runId: 'x', runName: '', experimentId: '2', userId: undefined, status: 'RUNNING', startTime: 0, endTime: undefined, artifactUri: undefined, lifecycleStage: 'active' },
  data: { metrics: [], params: [], tags: [] },
};

describe('MLflow run reader (the one validation of run answers)', () => {
  it('maps runs, defaults included', () => {
    const cases: [unknown, unknown][] = [
      [{}, { items: [], nextPageToken: undefined }],
      [{ runs: [] }, { items: [], nextPageToken: undefined }],
      [{ runs: [full], next_page_token: 'tok' }, { items: [fullRun], nextPageToken: 'tok' }],
      [{ runs: [full], next_page_token: '' }, { items: [fullRun], nextPageToken: undefined }],
      [{ runs: [{ info: { run_uuid: 'x', experiment_id: '2' } }] }, { items: [bare], nextPageToken: undefined }],
      [{ runs: [{ info: { run_id: 'x', experiment_id: '2', status: 'WEIRD' }, data: {} }] }, { items: [bare], nextPageToken: undefined }],
      [{ runs: [{ info: { run_id: 'x', experiment_id: '2', user_id: '' }, data: { params: [] } }] }, { items: [bare], nextPageToken: undefined }],
    ];
    for (const [body, want] of cases) assert.deepEqual(viaReader(body), want, JSON.stringify(body));
    assert.deepEqual(readRunInfoAnswer({ run_info: full.info }, 'runs/update'), fullRun.info);
  });

  it('refuses malformed answers with a typed error', () => {
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
      assert.equal(viaReader(b), 'error', `reader accepts ${JSON.stringify(b)}`);
    }
  });

  it('names the path of the bad field', () => {
    assert.throws(
      () => readSearchRunsAnswer({ runs: [full, { info: { run_id: 'x', experiment_id: '1' }, data: { params: [{ key: 'a' }, { key: 7 }] } }] }, 'runs/search'),
      (e: unknown) => e instanceof TrackingError && /runs\/search: runs\.1\.data\.params\.1\.key: expected a string/.test(e.message),
    );
    assert.throws(() => readRunAnswer({}, 'runs/get'), (e: unknown) => e instanceof TrackingError && /runs\/get: run: expected an object/.test(e.message));
    assert.deepEqual(readRunAnswer({ run: full }, 'runs/get'), fullRun);
    assert.throws(() => readRunInfoAnswer({ run_info: { run_id: 'x' } }, 'runs/update'), (e: unknown) => e instanceof TrackingError && /runs\/update: run_info\.experiment_id: expected a string/.test(e.message));
  });
});
