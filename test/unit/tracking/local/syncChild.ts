// Child process for the sync kill test (test/integration/tracking/syncToServer.test.ts); not a test.
// Syncs <dir> to <url> and prints a line after each pushed run, so the parent can SIGKILL it mid-sync.
import { openEmbeddedStore } from '../../../../src/core/tracking/local/embeddedStore';
import { MlflowStore } from '../../../../src/core/tracking/mlflow/mlflowStore';
import { syncStore } from '../../../../src/core/tracking/sync/syncToServer';

const [dir, url] = process.argv.slice(2);
(async () => {
  const local = await openEmbeddedStore(dir);
  const remote = new MlflowStore({ url, env: {} });
  await syncStore(local, remote, { onProgress: (p) => { if (p.phase === 'runs') process.stdout.write(`RUN ${p.done}\n`); } });
  process.stdout.write('SYNCED\n');
  await local.close();
  await remote.close();
})().catch((e: unknown) => {
  process.stderr.write(`sync child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
