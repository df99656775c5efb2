// Eval evidence for an alias move: the linked run that shows a version passed its thresholds,
// and a stamp of that run so a later approval can tell whether the evidence changed since.
import type { Run, TrackingStore } from '../tracking/types';
import { isTrackingError } from '../tracking/types';
import { isRunLinked, recentRuns, toLinkedRun, type LinkedRun } from './linkedRuns';
import { TAG } from './registryTags';

/** What the evidence run said when it was cited: a change means the request went stale. */
export interface EvidenceStamp { runId: string; status: string; passed: boolean | null; passRate: number | null; endTime: number | null }

export type EvidenceResult = { ok: true; runId: string | null; stamp: EvidenceStamp | null } | { ok: false; reason: string };

export interface EvidenceInput {
  name: string;
  version: string;
  alias: string;
  contentHash: string | undefined;
  evidenceRunId?: string;
  /** The alias needs a passing eval run of the version. */
  requirePassing: boolean;
  /** Refuse instead of picking the latest passing run (CI names its evidence). */
  requireExplicit?: boolean;
}

export async function resolveEvidence(store: TrackingStore, input: EvidenceInput): Promise<EvidenceResult> {
  const { name, version, alias } = input;
  if (!input.requirePassing) {
    if (!input.evidenceRunId) return { ok: true, runId: null, stamp: null };
    const run = await getRunOrUndefined(store, input.evidenceRunId);
    if (!run) return { ok: false, reason: `Evidence run ${input.evidenceRunId} does not exist in ${store.location}.` };
    return { ok: true, runId: run.info.runId, stamp: stampOf(run) };
  }
  if (input.requireExplicit && !input.evidenceRunId) {
    return { ok: false, reason: `Governance: '${alias}' requires a passing eval run of ${name} v${version}; name it with --evidence <run-id> (the run \`prompt-ledger eval\` logged for this version).` };
  }
  const runs = await recentRuns(store);
  const linked = runs.filter((r) => isRunLinked(r, name, version, input.contentHash));
  if (input.evidenceRunId) {
    const run = linked.find((r) => r.info.runId === input.evidenceRunId);
    if (!run) return { ok: false, reason: `Governance: run ${input.evidenceRunId} is not an eval run of ${name} v${version}; pick a run linked to this version.` };
    const ev = toLinkedRun(run);
    if (ev.passed !== true) return { ok: false, reason: `Governance: run ${ev.runName} did not pass its thresholds (pass_rate ${fmt(ev.passRate)}); '${alias}' needs a passing eval of v${version}.` };
    return { ok: true, runId: ev.runId, stamp: stampOf(run) };
  }
  const passing = linked.find((r) => toLinkedRun(r).passed === true);
  if (!passing) {
    const why = linked.length === 0 ? 'it has no linked eval runs' : `none of its ${linked.length} linked eval run(s) passed its thresholds`;
    return { ok: false, reason: `Governance: '${alias}' requires a passing eval run of ${name} v${version}, but ${why}. Run the eval suite on this version first.` };
  }
  return { ok: true, runId: passing.info.runId, stamp: stampOf(passing) };
}

/** Why the cited evidence no longer says what it said, or undefined when it still does. */
export async function evidenceChange(store: TrackingStore, stamp: EvidenceStamp): Promise<string | undefined> {
  const run = await getRunOrUndefined(store, stamp.runId);
  if (!run || run.info.lifecycleStage === 'deleted') return `its evidence run ${stamp.runId} was deleted`;
  const now = stampOf(run);
  const changed = (['status', 'passed', 'passRate', 'endTime'] as const).filter((k) => now[k] !== stamp[k]);
  return changed.length ? `its evidence run ${stamp.runId} changed since (${changed.map((k) => `${k}: ${String(stamp[k])} → ${String(now[k])}`).join(', ')})` : undefined;
}

export function contentHashOf(tags: { key: string; value: string }[]): string | undefined {
  return tags.find((t) => t.key === TAG.contentHash)?.value;
}

function stampOf(run: Run): EvidenceStamp {
  const l: LinkedRun = toLinkedRun(run);
  return { runId: l.runId, status: l.status, passed: l.passed, passRate: l.passRate, endTime: run.info.endTime ?? null };
}

async function getRunOrUndefined(store: TrackingStore, runId: string): Promise<Run | undefined> {
  try { return await store.getRun(runId); } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE')) return undefined;
    throw e;
  }
}

function fmt(v: number | null): string { return v === null ? 'not recorded' : v.toFixed(3); }
