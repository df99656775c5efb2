// What a run records about the prompt's place in git. Never fails a run: outside git (or without
// git installed) the fields are simply absent.
import path from 'node:path';
import { findRepoRoot, labelFiles } from '../versions/versionLabels';
import { runGit } from '../versions/runGit';

export interface PromptGitInfo {
  /** Last commit that touched the prompt file (the prompt version's commit). */
  commit?: string;
  /** HEAD of the work tree: what mlflow.source.git.commit means for MLflow's own client. */
  headCommit?: string;
  branch?: string;
  /** e.g. `v7`, `v7+edited`. */
  version?: string;
  edited?: boolean;
  repoRoot?: string;
}

export async function promptGitInfo(promptPaths: readonly string[]): Promise<Map<string, PromptGitInfo>> {
  const out = new Map<string, PromptGitInfo>(promptPaths.map((p) => [p, {}]));
  if (promptPaths.length === 0) return out;
  try {
    const root = await findRepoRoot(path.dirname(promptPaths[0]));
    if (!root) return out;
    const rels = promptPaths.map((p) => path.relative(root, p).split(path.sep).join('/'));
    const [labels, head] = await Promise.all([labelFiles(root, rels), runGit(['rev-parse', 'HEAD'], { cwd: root })]);
    const headCommit = head.code === 0 ? head.stdout.toString('utf8').trim() || undefined : undefined;
    promptPaths.forEach((p, i) => {
      const l = labels.get(rels[i]);
      if (!l) return;
      out.set(p, {
        repoRoot: root,
        headCommit,
        commit: l.commit,
        branch: l.branch,
        version: l.state === 'committed' ? `v${l.version}${l.edited ? '+edited' : ''}` : l.state,
        edited: l.edited,
      });
    });
  } catch {
    // git missing or broken: record nothing rather than fail the eval
  }
  return out;
}
