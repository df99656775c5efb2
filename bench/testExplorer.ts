// Test Explorer: expanding a suite with a 10,000-case JSONL dataset into case entries (read the
// suite, parse the dataset, one entry per case with id, label and line — core/eval/testCases.ts,
// what testTree.ts turns into TestItems one for one). Limit: 300 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSuite } from '../src/core/eval/suiteLoader';
import { suiteTestCases } from '../src/core/eval/testCases';
import { medianMs, reportResult } from './report';

const CASES = 10_000;
const LIMIT_MS = 300;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-tests-'));
  try {
    fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: p\n---\nuser:\n{{ q }}\n');
    const lines = Array.from({ length: CASES }, (_, i) => JSON.stringify({ id: `case-${i}`, vars: { q: `What is ${i} plus ${i}? Answer with the number only.` }, expected: String(2 * i), description: i % 10 === 0 ? `every tenth case ${i}` : undefined }));
    fs.writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
    const suiteFile = path.join(dir, 'big.eval.yaml');
    fs.writeFileSync(suiteFile, 'prompt: p.prompty\ndataset: cases.jsonl\nmodels: [{ provider: echo }]\nscorers: [{ type: contains, value: "{{q}}" }]\n');
    let n = 0;
    const ms = await medianMs(() => { n = suiteTestCases(loadSuite(suiteFile)).length; }, { runs: 7, warmup: 1 });
    if (n !== CASES) throw new Error(`expected ${CASES} entries, got ${n}`);
    console.log(`resolve ${CASES} cases into Test Explorer entries: ${ms.toFixed(1)} ms (limit ${LIMIT_MS} ms)`);
    reportResult({ name: 'test explorer: resolve 10,000-case dataset', value: ms, unit: 'ms', baseline: LIMIT_MS });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
