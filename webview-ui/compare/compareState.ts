// The compare panel's state in one object: what the host sent (the model and the case rows loaded
// so far) and what the user chose (filter, search, sort, toggles, scroll). Sections read it and
// call the actions; only main.ts changes it. `ui` is what setState keeps across reloads.
import type { CaseRowWire, CompareResults, CompareToHost, CompareToWebview, ComparisonModelWire } from '../../src/protocol/compareProtocol';
import type { HostClient } from '../shared/hostClient';

export type CaseFilter = 'all' | 'changed' | 'failing';
export const CASE_FILTERS: readonly CaseFilter[] = ['all', 'changed', 'failing'];

export interface UiState { filter: CaseFilter; search: string; sort: string; onlyDiffParams: boolean; chartMetric: string; scrollTop: number }
export interface SavedState { model: ComparisonModelWire; totalCases: number; ui: UiState }

export interface CompareState {
  model: ComparisonModelWire | undefined;
  totalCases: number;
  /** Case rows received so far (previews), in dataset order. */
  rows: CaseRowWire[];
  ui: UiState;
  /** Bumped on every init/update so a stale page load stops. */
  loadGeneration: number;
}

export function initialState(): CompareState {
  return { model: undefined, totalCases: 0, rows: [], loadGeneration: 0, ui: { filter: 'all', search: '', sort: 'order', onlyDiffParams: false, chartMetric: '', scrollTop: 0 } };
}

/** What sections may ask for; main.ts implements them against the host and the state. */
export interface CompareActions {
  /** Persist `ui` (and the model) with setState. */
  save(): void;
  showStatus(text: string, isError?: boolean): void;
  openRun(runId: string): void;
  setBaseline(runId: string, runName: string): void;
  /** Re-filter and re-sort the case table; `userAction` scrolls to the top and saves. */
  refreshCases(userAction: boolean): void;
  openDetail(row: CaseRowWire, traceRun?: number): void;
}

export const runLabel = (m: ComparisonModelWire, i: number): string => m.runs[i].runName;

/** The panel's host client, typed by the compare protocol both ways. */
export type CompareClient = HostClient<CompareToWebview, CompareToHost, CompareResults>;
