// What `--baseline` and `prompt-ledger compare` accept as a run: a run id, or `prompt@alias` —
// the registry version that alias points at, and the latest finished eval run linked to it
// (promptRegistry.listPromptVersions gives each version's linked runs).
import { isTrackingError, type TrackingStore } from '../tracking/types';
import { listPromptVersions } from '../registry/promptRegistry';

export class BaselineRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineRefError';
  }
}

export interface ResolvedRun { runId: string; runName: string; via?: { prompt: string; alias: string; version: string } }

const RUN_ID = /^[0-9a-f]{32}$/i;
const PROMPT_ALIAS = /^([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+)$/;

export async function resolveRunRef(store: TrackingStore, ref: string): Promise<ResolvedRun> {
  const alias = PROMPT_ALIAS.exec(ref);
  if (alias) {
    const [, prompt, name] = alias;
    let versions;
    try {
      versions = await listPromptVersions(store, prompt);
    } catch (e) {
      if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) throw new BaselineRefError(`no prompt '${prompt}' in the registry of ${store.location}; register it with \`prompt-ledger prompt register\`, or give a run id`);
      throw e;
    }
    if (versions.length === 0) throw new BaselineRefError(`no prompt '${prompt}' in the registry of ${store.location}; register it with \`prompt-ledger prompt register\`, or give a run id`);
    const version = versions.find((v) => v.aliases.includes(name));
    if (!version) {
      const known = versions.flatMap((v) => v.aliases.map((a) => `${a} → v${v.version}`));
      throw new BaselineRefError(`prompt '${prompt}' has no alias '${name}'${known.length ? ` (it has ${known.join(', ')})` : ''}`);
    }
    const linked = version.linkedRuns.filter((r) => r.status === 'FINISHED').sort((a, b) => b.startTime - a.startTime)[0];
    if (!linked) throw new BaselineRefError(`${prompt}@${name} (version ${version.version}) has no finished eval run linked to it; run its suite on that version first, or give a run id`);
    return { runId: linked.runId, runName: linked.runName, via: { prompt, alias: name, version: version.version } };
  }
  if (!RUN_ID.test(ref)) throw new BaselineRefError(`'${ref}' is neither a run id (32 hex digits, as \`prompt-ledger runs\` lists them) nor prompt@alias`);
  try {
    const run = await store.getRun(ref);
    return { runId: run.info.runId, runName: run.info.runName || run.info.runId };
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) throw new BaselineRefError(`no run ${ref} in ${store.location}`);
    throw e;
  }
}
