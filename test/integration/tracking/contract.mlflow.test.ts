// The tracking contract against a real `mlflow server` (sqlite backend, served artifacts).
import { defineTrackingContract } from './contract';
import { startMlflowServer } from '../../helpers/mlflowServer';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';

defineTrackingContract('mlflow server (sqlite)', async () => {
  const server = await startMlflowServer();
  const store = new MlflowStore({ url: server.url, env: {} });
  return { store, cleanup: () => server.stop() };
});
