// The registry unit tests run against the real embedded store (a temp folder per store), not a
// double: what they check is what the extension and the CLI do on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { Run, TrackingStore } from '../../../src/core/tracking/types';

const tmpDirs: string[] = [];
after(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

export async function tempEmbeddedStore(): Promise<TrackingStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-registry-'));
  tmpDirs.push(dir);
  return openEmbeddedStore(dir);
}

/** Logs a run built with makeRun through the store's own API; returns the store's run id. */
export async function logRun(store: TrackingStore, run: Run): Promise<string> {
  const experimentId = await store.ensureExperiment('registry-tests');
  const created = await store.createRun({ experimentId, runName: run.info.runName, startTime: run.info.startTime });
  await store.logBatch(created.info.runId, run.data);
  return created.info.runId;
}
