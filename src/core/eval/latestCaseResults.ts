// Each case's result in the latest recorded run of a suite, read back from the run's per-case
// table (eval_results_table.json): what the editor marks on dataset lines when a window opens a
// suite or dataset it has not run yet (after a reload, or a run from the CLI). Never throws.
import type { TrackingStore } from '../tracking/types';
import { allItems } from '../tracking/pages';
import { quoteFilterValue } from '../tracking/filter';
import { RESULTS_TABLE_FILE, type ResultsTable } from './resultsTable';
import { TAGS } from './runContext';

export interface StoredCaseResult {
  caseId: string;
  passed: boolean;
  /** The scorers' scores and justifications (or the error), one a line. */
  message: string;
  runId: string;
}

/** `suiteRel`: the suite's workspace-relative path, as runs record it (TAGS.suite). */
export async function latestCaseResults(store: TrackingStore, suiteRel: string): Promise<StoredCaseResult[] | undefined> {
  try {
    const experimentIds = (await allItems((pageToken) => store.searchExperiments({ maxResults: 1000, pageToken }))).map((e) => e.experimentId);
    if (experimentIds.length === 0) return undefined;
    const page = await store.searchRuns({
      experimentIds, filter: `tags."${TAGS.suite}" = ${quoteFilterValue(suiteRel)}`, orderBy: ['attributes.start_time DESC'], maxResults: 20, runViewType: 'ACTIVE_ONLY',
    });
    for (const run of page.items.filter((r) => r.info.status === 'FINISHED').sort((a, b) => b.info.startTime - a.info.startTime)) {
      const runId = run.info.runId;
      // A multi-model suite's parent run has no table of its own: the newest run with one speaks.
      if (!(await store.listArtifacts(runId)).some((f) => f.path === RESULTS_TABLE_FILE)) continue;
      const table = JSON.parse(new TextDecoder().decode(await store.downloadArtifact(runId, RESULTS_TABLE_FILE))) as ResultsTable;
      return casesOf(table, runId);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function casesOf(table: ResultsTable, runId: string): StoredCaseResult[] {
  const col = (name: string) => table.columns.indexOf(name);
  const [id, pass, error] = [col('case_id'), col('pass'), col('error')];
  const scorers = table.columns.filter((c) => c.endsWith('/score')).map((c) => c.slice(0, -'/score'.length));
  const byCase = new Map<string, StoredCaseResult>();
  for (const row of table.data) {
    const caseId = String(row[id]);
    const lines = row[error] ? [`error: ${String(row[error])}`] : scorers.filter((n) => row[col(`${n}/score`)] !== null).map((n) => `${n}: ${String(row[col(`${n}/score`)])} — ${String(row[col(`${n}/justification`)] ?? '')}`);
    const seen = byCase.get(caseId);
    // With repeats a case passes only when every sample passes.
    if (seen) { seen.passed &&= row[pass] === true; seen.message += `\n${lines.join('\n')}`; }
    else byCase.set(caseId, { caseId, passed: row[pass] === true, message: lines.join('\n'), runId });
  }
  return [...byCase.values()];
}
