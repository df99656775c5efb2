// The eval command's --push-dataset step (or the suite's `push_dataset: true`): after a suite's
// runs, its dataset goes to an MLflow evaluation dataset of the run's experiment; the outcome,
// or why it could not be pushed (embedded store, a backend without datasets), is printed.
import type { SuiteResult } from '../core/eval/runner';
import type { LoadedSuite } from '../core/eval/suiteLoader';
import { openSuiteDataset } from '../core/eval/datasetFile';
import type { TrackingStore } from '../core/tracking/types';
import { pushEvaluationDataset } from '../core/datasets/evaluationDataset';

export async function pushDatasetStep(store: TrackingStore, suite: LoadedSuite, result: SuiteResult, workspaceRoot: string, out: { write(s: string): unknown }, err: { write(s: string): unknown }): Promise<void> {
  const run = result.runs[0];
  if (!run) return;
  try {
    const r = await pushEvaluationDataset(store, { dataset: await openSuiteDataset(suite), experimentId: result.experimentId, runId: run.runId, workspaceRoot });
    if (r.pushed) out.write(`Dataset ${r.created ? 'pushed to new' : 'synced to'} MLflow evaluation dataset '${r.name}' (${r.datasetId}): ${r.records} records, ${r.inserted} new, ${r.updated} updated, source ${r.source}\n`);
    else err.write(`prompt-ledger eval: --push-dataset: not pushed. ${r.reason}\n`);
  } catch (e) {
    err.write(`prompt-ledger eval: --push-dataset: ${(e as Error).message}\n`);
  }
}
