// Prompt blame for a 200-line prompt with 100 versions (100 commits, each rewriting two lines),
// every version evaluated once, runs in the embedded store: git blame, the versions' texts,
// the run lookup and the per-line pass-rate change (core/blame/promptBlame.ts). Limit: 200 ms.
import path from 'node:path';
import { makeRepo } from '../test/helpers/gitRepo';
import { recordEvalRun } from '../test/helpers/evalRunRecords';
import { promptBlame } from '../src/core/blame/promptBlame';
import { normalizedContentHash } from '../src/core/prompts/contentHash';
import { openEmbeddedStore } from '../src/core/tracking/local/embeddedStore';
import { medianMs, reportResult } from './report';

const LINES = 200;
const VERSIONS = 100;
const LIMIT_MS = 200;

async function main(): Promise<void> {
  const repo = makeRepo();
  const store = await openEmbeddedStore(path.join(repo.dir, '.promptledger'));
  try {
    const lines = Array.from({ length: LINES }, (_, i) => `Rule ${i}: answer the question in the tone of the brief.`);
    const exp = await store.ensureExperiment('bench');
    for (let v = 0; v < VERSIONS; v++) {
      if (v > 0) for (const i of [(v * 2) % LINES, (v * 2 + 1) % LINES]) lines[i] = `Rule ${i}: revised in version ${v + 1}.`;
      const text = `${lines.join('\n')}\n`;
      repo.write('big.prompty', text);
      repo.commit(`version ${v + 1}`);
      await recordEvalRun(store, exp, { relPath: 'big.prompty', promptHash: normalizedContentHash(text), passRate: 0.5 + ((v * 37) % 50) / 100, startTime: 1000 + v });
    }
    const file = path.join(repo.dir, 'big.prompty');
    let measured = 0;
    const ms = await medianMs(async () => {
      const b = await promptBlame(store, { file, relPath: 'big.prompty' });
      measured = b.lines.filter((l) => l.status === 'measured').length;
      if (b.lines.length !== LINES || b.missing.length !== 0) throw new Error(`expected ${LINES} lines and no missing version, got ${b.lines.length} and ${b.missing.length}`);
    }, { runs: 7, warmup: 1 });
    console.log(`blame ${LINES} lines over ${VERSIONS} versions (${measured} lines with a pass-rate change): ${ms.toFixed(1)} ms (limit ${LIMIT_MS} ms)`);
    reportResult({ name: 'prompt blame: 200 lines, 100 versions, runs known', value: ms, unit: 'ms', baseline: LIMIT_MS });
  } finally {
    await store.close();
    repo.cleanup();
  }
}

void main();
