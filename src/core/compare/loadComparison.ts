// Fetches what the compare panel needs from a TrackingStore: the runs, each run's per-case table
// and prompt text. A run without a table or prompt still compares (params and metrics).
import type { Run, TrackingStore } from '../tracking/types';
import { buildComparison } from './buildComparison';
import type { ComparisonModel } from './comparisonModel';
import { parseEvalTable, type EvalTable } from './evalTable';

export const EVAL_TABLE_ARTIFACT = 'eval_results_table.json';
export const PROMPT_ARTIFACT_DIR = 'prompt';

export interface LoadedRuns {
  runs: Run[];
  tables: Map<string, EvalTable | undefined>;
  prompts: Map<string, string | undefined>;
  /** Per-run problems worth showing (unreadable table, …); never fatal. */
  warnings: string[];
}

export async function loadRunsForComparison(store: TrackingStore, runIds: string[]): Promise<LoadedRuns> {
  const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
  const tables = new Map<string, EvalTable | undefined>();
  const prompts = new Map<string, string | undefined>();
  const warnings: string[] = [];
  const decoder = new TextDecoder();
  await Promise.all(runs.map(async (run) => {
    const id = run.info.runId;
    try {
      const files = await store.listArtifacts(id);
      if (files.some((f) => f.path === EVAL_TABLE_ARTIFACT)) {
        const text = decoder.decode(await store.downloadArtifact(id, EVAL_TABLE_ARTIFACT));
        tables.set(id, parseEvalTable(text, `run ${id}: ${EVAL_TABLE_ARTIFACT}`));
      }
      if (files.some((f) => f.path === PROMPT_ARTIFACT_DIR && f.isDir)) {
        const promptFile = (await store.listArtifacts(id, PROMPT_ARTIFACT_DIR)).find((f) => !f.isDir);
        if (promptFile) prompts.set(id, decoder.decode(await store.downloadArtifact(id, promptFile.path)));
      }
    } catch (e) {
      warnings.push(`Run ${run.info.runName || id}: ${(e as Error).message}`);
    }
  }));
  return { runs, tables, prompts, warnings };
}

export async function loadComparison(store: TrackingStore, runIds: string[], baselineRunId?: string): Promise<{ model: ComparisonModel; warnings: string[] }> {
  const loaded = await loadRunsForComparison(store, runIds);
  return { model: buildComparison(loaded.runs, loaded.tables, loaded.prompts, baselineRunId), warnings: loaded.warnings };
}
