// Finding a run, model or version in the embedded store's state, with MLflow's own errors when
// it is missing or in the wrong state.
import { TrackingError } from '../types';
import type { ModelState, RunState, StoreState, VersionState } from './storeState';

export const notFound = (msg: string) => new TrackingError('RESOURCE_DOES_NOT_EXIST', msg);
export const invalid = (msg: string) => new TrackingError('INVALID_PARAMETER_VALUE', msg);

export function getRun(s: StoreState, runId: string): RunState {
  const r = s.runs.get(runId);
  if (!r) throw notFound(`Run with id=${runId} not found`);
  return r;
}

export function activeRun(s: StoreState, runId: string): RunState {
  const r = getRun(s, runId);
  if (r.lifecycleStage !== 'active') throw invalid(`The run ${runId} must be in the 'active' state. Current state is ${r.lifecycleStage}.`);
  return r;
}

export function getModel(s: StoreState, name: string): ModelState {
  const m = s.models.get(name);
  if (!m) throw notFound(`Registered Model with name=${name} not found`);
  return m;
}

export function getVersion(m: ModelState, version: string): VersionState {
  if (!/^\d+$/.test(String(version))) throw invalid(`Model version must be an integer, got '${version}'`);
  const v = m.versions.get(String(Number(version)));
  if (!v) throw notFound(`Model Version (name=${m.name}, version=${version}) not found`);
  return v;
}

export function nextVersion(m: ModelState): string {
  let max = 0;
  for (const k of m.versions.keys()) max = Math.max(max, Number(k));
  return String(max + 1);
}
