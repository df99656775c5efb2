// The shared TrackingStore contract against the embedded store in a fresh temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import { defineTrackingContract } from './contract';

defineTrackingContract('embedded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-embedded-contract-'));
  const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
  return { store, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});
