// `prompt-ledger eval <suite> --at <rev>`: the suite's prompts as they were at a git revision (a
// version such as v3, a commit, a branch, HEAD~2), read from git without touching the work tree.
import path from 'node:path';
import { promptsAtRevision } from '../core/eval/promptAtRevision';
import { TAGS } from '../core/eval/runContext';
import type { PlanOverrides } from '../core/eval/runPlan';
import type { LoadedSuite } from '../core/eval/suiteLoader';

export { RevisionNotFoundError } from '../core/versions/versionAtRevision';

/** The suite (tagged with the revision) and the plan overrides that run its prompts at `rev`. */
export async function suiteAtRevision(suite: LoadedSuite, rev: string, out: NodeJS.WritableStream): Promise<{ suite: LoadedSuite; overrides: PlanOverrides }> {
  const { overrides, versions } = await promptsAtRevision(suite.promptPaths, rev);
  for (const v of versions) out.write(`${path.basename(v.file)} at ${rev}: v${v.entry.version} · ${v.entry.shortCommit} · ${v.entry.subject}\n`);
  return { suite: { ...suite, spec: { ...suite.spec, tags: { ...(suite.spec.tags ?? {}), [TAGS.promptAt]: rev } } }, overrides };
}
