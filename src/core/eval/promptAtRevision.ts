// A/B from git: a suite's prompt as it was at a revision, as a plan override. The run then records
// that version's commit, label (`v3`) and content hash, with the work tree's HEAD as its source
// commit (the suite, dataset and scorers are the working ones).
import { runGit } from '../versions/runGit';
import { versionAtRevision, type VersionAtRevision } from '../versions/versionAtRevision';
import type { PromptGitInfo } from './gitInfo';
import type { PlanOverrides } from './runPlan';

export interface PromptAtRevision extends VersionAtRevision {
  file: string;
  git: PromptGitInfo;
}

async function headAndBranch(repoRoot: string): Promise<{ headCommit?: string; branch?: string }> {
  const [head, branch] = await Promise.all([
    runGit(['rev-parse', 'HEAD'], { cwd: repoRoot }),
    runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repoRoot }),
  ]);
  return {
    headCommit: head.code === 0 ? head.stdout.toString('utf8').trim() || undefined : undefined,
    branch: branch.code === 0 ? branch.stdout.toString('utf8').trim() || undefined : undefined,
  };
}

/** `file` at `rev` with the git facts a run records about it. Throws RevisionNotFoundError. */
export async function promptAtRevision(file: string, rev: string): Promise<PromptAtRevision> {
  const at = await versionAtRevision(file, rev);
  const { headCommit, branch } = await headAndBranch(at.repoRoot);
  return {
    ...at, file,
    git: { repoRoot: at.repoRoot, commit: at.entry.commit, headCommit, branch, version: `v${at.entry.version}`, edited: false },
  };
}

/** The plan override that runs each of `files` as it was at `rev`. */
export async function promptsAtRevision(files: readonly string[], rev: string): Promise<{ overrides: PlanOverrides; versions: PromptAtRevision[] }> {
  const versions = await Promise.all(files.map((f) => promptAtRevision(f, rev)));
  return { overrides: { promptAt: new Map(versions.map((v) => [v.file, { text: v.text, git: v.git }])) }, versions };
}
