import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveTrackingUri } from '../../../src/core/tracking/trackingUri';
import { TrackingError } from '../../../src/core/tracking/types';

const root = path.resolve('/ws/project');

describe('resolveTrackingUri', function () {
  it('defaults to the embedded store in <workspace>/.promptledger', function () {
    assert.deepEqual(resolveTrackingUri({ env: {}, workspaceRoot: root }), { kind: 'embedded', dir: path.join(root, '.promptledger'), source: 'default' });
    assert.equal(resolveTrackingUri({ setting: '   ', env: {}, workspaceRoot: root }).kind, 'embedded');
  });
  it('prefers the setting over MLFLOW_TRACKING_URI', function () {
    const env = { MLFLOW_TRACKING_URI: 'http://env:5000' };
    assert.deepEqual(resolveTrackingUri({ setting: 'https://mlflow.example.com/', env, workspaceRoot: root }), { kind: 'mlflow', url: 'https://mlflow.example.com', source: 'setting' });
    assert.deepEqual(resolveTrackingUri({ env, workspaceRoot: root }), { kind: 'mlflow', url: 'http://env:5000', source: 'env' });
  });
  it('treats file: URIs and plain paths (relative to the workspace) as embedded', function () {
    assert.deepEqual(resolveTrackingUri({ setting: 'file:///tmp/runs', env: {}, workspaceRoot: root }), { kind: 'embedded', dir: path.resolve('/tmp/runs'), source: 'setting' });
    assert.deepEqual(resolveTrackingUri({ setting: 'runs/store', env: {}, workspaceRoot: root }), { kind: 'embedded', dir: path.join(root, 'runs/store'), source: 'setting' });
    assert.deepEqual(resolveTrackingUri({ env: { MLFLOW_TRACKING_URI: '/abs/mlruns' }, workspaceRoot: root }), { kind: 'embedded', dir: path.resolve('/abs/mlruns'), source: 'env' });
  });
  it('refuses databricks, database URIs and unknown schemes with a fix in the message', function () {
    assert.throws(() => resolveTrackingUri({ setting: 'databricks', env: {} }), (e: unknown) => e instanceof TrackingError && /Databricks/.test(e.message) && /promptLedger.trackingUri/.test(e.message));
    assert.throws(() => resolveTrackingUri({ env: { MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' } }), (e: unknown) => e instanceof TrackingError && /mlflow server --backend-store-uri/.test(e.message) && /MLFLOW_TRACKING_URI/.test(e.message));
    assert.throws(() => resolveTrackingUri({ setting: 'postgresql://u@h/db', env: {} }), TrackingError);
    assert.throws(() => resolveTrackingUri({ setting: 's3://bucket/x', env: {} }), (e: unknown) => e instanceof TrackingError && /s3/.test(e.message));
  });
});
