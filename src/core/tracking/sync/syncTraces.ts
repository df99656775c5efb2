// The traces phase of a sync (after runs and the registry, so run ids and prompt version numbers
// are known on the server): each synced run's case traces, with their spans and assessments, and
// its dataset input go to the server as the runner would have written them there: same trace and
// assessment ids, re-pointed at the remote run, experiment and prompt version. The server merges
// by those ids, so pushing a run's traces again (a changed run, a sync killed before its marker)
// leaves each trace and assessment once. A run whose trace files are unchanged since the last
// sync (marker `tracesDone`; the trace files and the case journal they are built from) is skipped.
import crypto from 'node:crypto';
import type { CaseTrace } from '../traces/caseTrace';
import { ASSESSMENT_METADATA, SPAN_ATTRS, TRACE_METADATA, TRACE_TAGS } from '../traces/traceKeys';
import { TRACE_ARTIFACT_DIR } from '../traces/traceJson';
import type { PromptVersionRef } from '../traces/caseTraceInput';
import { caseJournalSize, readEmbeddedDatasetInputs, readEmbeddedTraces } from '../local/embeddedTraces';
import type { SyncContext } from './syncContext';

/** How many traces go to the server per logTraces call (one OTLP request, ≤100 run links). */
const PUSH_BATCH = 100;

interface Remote { runId: string; experimentId: string; prompt?: PromptVersionRef }

/** The trace as the server is to hold it; a prompt link the server has no version for is left out. */
function repoint(t: CaseTrace, to: Remote): CaseTrace {
  const tags = { ...t.info.tags };
  delete tags[TRACE_TAGS.linkedPrompts];
  if (to.prompt) tags[TRACE_TAGS.linkedPrompts] = JSON.stringify([to.prompt]);
  const linkSpan = (attributes: CaseTrace['spans'][number]['attributes']) => {
    const { [SPAN_ATTRS.linkedPrompts]: linked, ...rest } = attributes;
    return linked === undefined ? attributes : to.prompt ? { ...rest, [SPAN_ATTRS.linkedPrompts]: [{ ...to.prompt }] } : rest;
  };
  return {
    ...t,
    spans: t.spans.map((s) => ({ ...s, attributes: linkSpan(s.attributes) })),
    assessments: t.assessments.map((a) => ({ ...a, metadata: { ...a.metadata, [ASSESSMENT_METADATA.sourceRunId]: to.runId } })),
    info: {
      ...t.info,
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: to.experimentId } },
      trace_metadata: { ...t.info.trace_metadata, [TRACE_METADATA.sourceRun]: to.runId },
      tags,
      assessments: t.info.assessments.map((a) => ({ ...a, metadata: { ...a.metadata, [ASSESSMENT_METADATA.sourceRunId]: to.runId } })),
    },
  };
}

/** The prompt version the traces link to, numbered as on the server (undefined when it was not pushed). */
function remotePrompt(ctx: SyncContext, t: CaseTrace | undefined): PromptVersionRef | undefined {
  const raw = t?.info.tags[TRACE_TAGS.linkedPrompts];
  if (!raw) return undefined;
  try {
    const [p] = JSON.parse(raw) as PromptVersionRef[];
    if (!p?.name) return undefined;
    const key = `${p.name}/${p.version}`;
    const version = ctx.versionMap.get(key) ?? ctx.mapping('modelVersion', key);
    return version === undefined ? undefined : { name: p.name, version };
  } catch {
    return undefined;
  }
}

async function traceFilesFingerprint(ctx: SyncContext, localRunId: string, remoteRunId: string): Promise<string | undefined> {
  const top = await ctx.from.listArtifacts(localRunId);
  const h = crypto.createHash('sha256').update(remoteRunId);
  let any = false;
  for (const dir of [TRACE_ARTIFACT_DIR, 'inputs']) {
    if (!top.some((f) => f.path === dir && f.isDir)) continue;
    for (const f of await ctx.from.listArtifacts(localRunId, dir)) {
      h.update(JSON.stringify([f.path, f.fileSize]));
      any = true;
    }
  }
  // Case traces are built from the run's case journal: a resumed run's new cases change its size.
  if (any) h.update(JSON.stringify(['journal', caseJournalSize(ctx.from, localRunId) ?? 0]));
  return any ? h.digest('hex') : undefined;
}

/** Pushes the traces and dataset inputs of every run in ctx.runMap (counted in report.traces). */
export async function syncTraces(ctx: SyncContext): Promise<void> {
  let done = 0;
  for (const [localId, remoteId] of ctx.runMap) {
    ctx.checkAbort();
    const fp = await traceFilesFingerprint(ctx, localId, remoteId);
    if (fp && ctx.mapping('tracesDone', localId) !== fp) {
      const remote = await ctx.to.getRun(remoteId);
      const traces = await readEmbeddedTraces(ctx.from, localId);
      const to: Remote = { runId: remoteId, experimentId: remote.info.experimentId, prompt: remotePrompt(ctx, traces[0]) };
      for (let i = 0; i < traces.length; i += PUSH_BATCH) {
        ctx.checkAbort();
        const batch = traces.slice(i, i + PUSH_BATCH).map((t) => repoint(t, to));
        await ctx.to.logTraces({ runId: remoteId, experimentId: to.experimentId, traces: batch, linkedPrompt: to.prompt });
        ctx.report.traces.sent += batch.length;
      }
      for (const d of await readEmbeddedDatasetInputs(ctx.from, localId)) await ctx.to.logDatasetInput(remoteId, d);
      await ctx.remember('tracesDone', localId, fp);
    }
    ctx.progress({ phase: 'traces', done: ++done, total: ctx.runMap.size });
  }
}
