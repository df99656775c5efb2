// Child process for the embedded store's fault and concurrency tests (test/integration/tracking/
// embedded*.test.ts); not a test itself. Prints one line after each acknowledged write, so the parent
// knows exactly what must survive a SIGKILL.
//   node --import tsx storeWriterChild.ts crash <dir>            write batches forever
//   node --import tsx storeWriterChild.ts concurrent <dir> <label> <runs> <expectTotal>
import { openEmbeddedStore } from '../../../../src/core/tracking/local/embeddedStore';

const [mode, dir, label = 'w', runsArg = '200', totalArg = '0'] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(line + '\n');

async function crash(): Promise<void> {
  // A small compaction threshold makes kills land inside compactions too.
  const store = await openEmbeddedStore(dir, { compactBytes: 96 * 1024 });
  const exp = await store.ensureExperiment('crash');
  for (let i = 0; ; i++) {
    const run = await store.createRun({ experimentId: exp, runName: `${label}-${i}`, tags: [{ key: 'writer', value: label }] });
    say(`ACK run ${run.info.runId}`);
    await store.logBatch(run.info.runId, {
      params: Array.from({ length: 10 }, (_, k) => ({ key: `p${k}`, value: `${i}-${k}` })),
      metrics: Array.from({ length: 50 }, (_, k) => ({ key: `m${k % 5}`, value: i + k, timestamp: 1000 + k, step: k })),
    });
    say(`ACK batch ${run.info.runId}`);
    await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: Date.now() });
    say(`ACK finished ${run.info.runId}`);
  }
}

async function concurrent(): Promise<void> {
  const store = await openEmbeddedStore(dir, { compactBytes: 256 * 1024 });
  const exp = await store.ensureExperiment('concurrent');
  const runs = Number(runsArg);
  for (let i = 0; i < runs; i++) {
    const run = await store.createRun({ experimentId: exp, runName: `${label}-${i}` });
    await store.logBatch(run.info.runId, {
      params: [{ key: 'writer', value: label }, { key: 'i', value: String(i) }],
      metrics: [{ key: 'score', value: i, timestamp: i, step: 0 }, { key: 'score', value: i + 1, timestamp: i + 1, step: 1 }],
    });
  }
  say(`DONE ${label}`);
  // Wait until this process sees every run of both writers, read through its own catch-up.
  const expect = Number(totalArg);
  for (let tries = 0; tries < 600; tries++) {
    const page = await store.searchRuns({ experimentIds: [exp], maxResults: 50000 });
    if (page.items.length >= expect) {
      say(`SEEN ${page.items.length}`);
      await store.close();
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  say('SEEN timeout');
  await store.close();
}

(mode === 'crash' ? crash() : concurrent()).catch((e: unknown) => {
  process.stderr.write(`child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
