// A throwaway workspace with a prompt, a dataset and a suite, for runner integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSuite, type LoadedSuite } from '../../../src/core/eval/suiteLoader';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';
import type { TrackingStore } from '../../../src/core/tracking/types';

export interface EvalWorkspace {
  dir: string;
  store: TrackingStore;
  cacheDir: string;
  suite(yaml: string, name?: string): LoadedSuite;
  cleanup(): Promise<void>;
}

export const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];

export async function makeEvalWorkspace(opts: { cases?: number; store?: TrackingStore } = {}): Promise<EvalWorkspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-evalws-'));
  fs.writeFileSync(path.join(dir, 'p.prompty'), '---\nname: shout\nmodel:\n  parameters:\n    temperature: 0.3\ninputs:\n  word:\n    type: string\n---\nsystem:\nRepeat the word.\n\nuser:\n{{ word }}\n');
  const n = opts.cases ?? WORDS.length;
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { word: WORDS[i % WORDS.length] + (i >= WORDS.length ? i : '') }, expected: WORDS[i % WORDS.length] }));
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
  const store = opts.store ?? await openEmbeddedStore(path.join(dir, '.promptledger'));
  return {
    dir,
    store,
    cacheDir: path.join(dir, '.promptledger', 'cache'),
    suite(yaml, name = 'shout.eval.yaml') {
      const file = path.join(dir, name);
      fs.writeFileSync(file, yaml);
      return parseSuite(yaml, file);
    },
    async cleanup() {
      if (!opts.store) await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tagsOf(run: { data: { tags: { key: string; value: string }[] } }): Record<string, string> {
  return Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
}
export function paramsOf(run: { data: { params: { key: string; value: string }[] } }): Record<string, string> {
  return Object.fromEntries(run.data.params.map((t) => [t.key, t.value]));
}
export function metricsOf(run: { data: { metrics: { key: string; value: number }[] } }): Record<string, number> {
  return Object.fromEntries(run.data.metrics.map((t) => [t.key, t.value]));
}
