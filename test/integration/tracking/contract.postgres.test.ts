// The tracking contract against a real `mlflow server` whose backend store is PostgreSQL 15.
import { defineTrackingContract } from './contract';
import { startMlflowServer } from '../../helpers/mlflowServer';
import { startPostgres } from '../../helpers/postgres';
import { MlflowStore } from '../../../src/core/tracking/mlflow/mlflowStore';

defineTrackingContract('mlflow server (PostgreSQL)', async () => {
  const pg = await startPostgres();
  try {
    const server = await startMlflowServer({ backendStoreUri: pg.uri });
    const store = new MlflowStore({ url: server.url, env: {} });
    return {
      store,
      cleanup: async () => {
        await server.stop();
        await pg.stop();
      },
    };
  } catch (e) {
    await pg.stop();
    throw e;
  }
});
