// Searching the embedded store's state the way MLflow's SQL store does: the same filter
// grammar, each entity's fields from its field table (fieldTables.ts: filter and order-by keys,
// and the error naming the valid ones), MLflow's default orders and its tie-breaks, paged with
// our offset tokens.
import { matchesFilterWith, parseFilter, parseOrderBy, type FilterAst, type OrderByClause } from '../filter';
import type { Experiment, ModelVersion, Page, RegisteredModel, ViewType } from '../types';
import { PROMPT_TAG, experimentView, isPrompt, modelView, versionView } from './entityViews';
import { EXPERIMENT_FIELDS, MODEL_FIELDS, VERSION_FIELDS, checkFields, fieldValue, type FieldTable } from './fieldTables';
import { checkMaxResults, decodePageToken, pageOf } from './paging';
import type { ModelState, RunState, StoreState, VersionState } from './storeState';

export function searchExperimentsIn(s: StoreState, opts: { filter?: string; maxResults?: number; pageToken?: string; viewType?: ViewType } = {}): Page<Experiment> {
  const ast = parseFilter(opts.filter);
  checkFields(EXPERIMENT_FIELDS, ast);
  const size = checkMaxResults('SearchExperiments', opts.maxResults, 1000, 50000);
  const offset = decodePageToken(opts.pageToken);
  const view = opts.viewType ?? 'ACTIVE_ONLY';
  const matched = [...s.experiments.values()].filter((e) => inView(e.lifecycleStage, view) && matchesFilterWith(ast, (type, key) => fieldValue(EXPERIMENT_FIELDS, e, type, key)));
  // MLflow's default order: creation_time DESC, then experiment_id ASC.
  matched.sort((a, b) => b.creationTime - a.creationTime || Number(a.experimentId) - Number(b.experimentId));
  return pageOf(matched, offset, size, experimentView);
}


/** MLflow's SQL ordering: each clause (runs missing the key last), then start_time DESC, then run id. */
export function sortRuns(runs: RunState[], order: OrderByClause[], fields: FieldTable<RunState>): RunState[] {
  // Decorate once: sort keys are read n times, not n log n times.
  const rows = runs.map((r) => ({ r, k: order.map((c) => fieldValue(fields, r, c.type, c.key)) }));
  rows.sort((a, b) => {
    const byClauses = compareByClauses(order, a, b, (row, i) => row.k[i]);
    if (byClauses !== 0) return byClauses;
    if (a.r.startTime !== b.r.startTime) return b.r.startTime - a.r.startTime;
    return a.r.runId < b.r.runId ? -1 : a.r.runId > b.r.runId ? 1 : 0;
  });
  return rows.map((x) => x.r);
}


export function searchModelsIn(s: StoreState, ast: FilterAst, opts: { maxResults?: number; pageToken?: string; orderBy?: string[] }, keep: (m: ModelState) => boolean): Page<RegisteredModel> {
  const size = checkMaxResults('SearchRegisteredModels', opts.maxResults, 100, 1000);
  const offset = decodePageToken(opts.pageToken);
  const order = parseOrderBy(opts.orderBy);
  checkFields(MODEL_FIELDS, [...ast, ...order]);
  const matched = [...s.models.values()].filter((m) => keep(m) && matchesFilterWith(ast, (t, k) => fieldValue(MODEL_FIELDS, m, t, k)));
  matched.sort((a, b) => {
    const byClauses = compareByClauses(order, a, b, (m, i) => fieldValue(MODEL_FIELDS, m, order[i].type, order[i].key));
    if (byClauses !== 0) return byClauses;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return pageOf(matched, offset, size, modelView);
}


export function searchModelVersionsIn(s: StoreState, opts: { filter?: string; maxResults?: number; pageToken?: string; orderBy?: string[] }): Page<ModelVersion> {
  const ast = parseFilter(opts.filter);
  const size = checkMaxResults('SearchModelVersions', opts.maxResults, 10000, 200000);
  const offset = decodePageToken(opts.pageToken);
  const order = parseOrderBy(opts.orderBy);
  checkFields(VERSION_FIELDS, [...ast, ...order]);
  const value = (v: VersionState, i: number) => fieldValue(VERSION_FIELDS, v, order[i].type, order[i].key);
  const pairs: Array<[ModelState, VersionState]> = [];
  // As on MLflow 3 servers, prompt versions are listed only when the filter names the prompt tag.
  const wantsPrompts = ast.some((c) => c.type === 'tag' && c.key === PROMPT_TAG);
  for (const m of s.models.values()) {
    if (!wantsPrompts && isPrompt(m)) continue;
    for (const v of m.versions.values()) {
      if (matchesFilterWith(ast, (t, k) => {
        const got = fieldValue(VERSION_FIELDS, v, t, k);
        // version_number = '3' compares as a number
        return t === 'attribute' && (k === 'version' || k === 'version_number') ? String(got) : got;
      })) pairs.push([m, v]);
    }
  }
  // Default: name ASC, version DESC (MLflow's SQL registry).
  pairs.sort(([, a], [, b]) => {
    const byClauses = compareByClauses(order, a, b, value);
    if (byClauses !== 0) return byClauses;
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    return Number(b.version) - Number(a.version);
  });
  return pageOf(pairs, offset, size, ([m, v]) => versionView(m, v));
}


/**
 * MLflow's SQL order_by over the clauses: the first clause whose values differ decides, and a
 * missing value sorts last in either direction. 0 when every clause ties (callers add their own
 * tie-breaks). `valueAt(x, i)` is x's value for clause i.
 */
export function compareByClauses<T>(
  order: OrderByClause[],
  a: T,
  b: T,
  valueAt: (x: T, i: number) => string | number | undefined,
): number {
  for (let i = 0; i < order.length; i++) {
    const va = valueAt(a, i);
    const vb = valueAt(b, i);
    if (va === vb) continue;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    return (va < vb ? -1 : 1) * (order[i].ascending ? 1 : -1);
  }
  return 0;
}

export function inView(stage: 'active' | 'deleted', view: ViewType): boolean {
  return view === 'ALL' || (view === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted');
}
