// Eval runs written straight into a store with the tags and metric a real eval run records
// (runContext.ts TAGS, pass_rate), for tests and benches that need many runs of many prompt
// versions without running the suite each time.
import { TAGS } from '../../src/core/eval/runContext';
import { PASS_RATE_METRIC } from '../../src/core/registry/registryTags';
import type { TrackingStore } from '../../src/core/tracking/types';

export interface RecordedRunSpec {
  relPath: string;
  promptHash: string;
  passRate: number;
  suite?: string;
  model?: string;
  startTime?: number;
  /** `cases/of`: a partial (Test Explorer) run. */
  partial?: string;
}

export async function recordEvalRun(store: TrackingStore, experimentId: string, r: RecordedRunSpec): Promise<string> {
  const tags = [
    { key: TAGS.kind, value: 'eval' },
    { key: TAGS.suite, value: r.suite ?? 'p.eval.yaml' },
    { key: TAGS.model, value: r.model ?? 'echo' },
    { key: TAGS.promptPath, value: r.relPath },
    { key: TAGS.promptHash, value: r.promptHash },
    ...(r.partial ? [{ key: TAGS.partial, value: r.partial }] : []),
  ];
  const startTime = r.startTime ?? Date.now();
  const run = await store.createRun({ experimentId, runName: `eval-${r.promptHash.slice(0, 6)}`, startTime, tags });
  await store.logBatch(run.info.runId, { metrics: [{ key: PASS_RATE_METRIC, value: r.passRate, timestamp: startTime, step: 0 }] });
  await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: startTime + 1 });
  return run.info.runId;
}
