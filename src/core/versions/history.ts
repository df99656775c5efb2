import type { GitOptions } from './gitProbe';
import path from 'node:path';
import { commitFromFields, LOG_FIELDS, LOG_FORMAT, walkHistory } from './historyWalk';
import { NameStatusParser } from './nameStatusParser';
import { gitText, runGit } from './runGit';
import { countVersions } from './versionCounter';
import type { WalkedCommit } from './versionCounter';

export interface PromptVersionEntry {
  /** 1 for the oldest commit that touched the file, counting up to the newest. */
  version: number;
  commit: string;
  shortCommit: string;
  author: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
  /** The file's path at that commit, from the top of the work tree (renames followed). */
  pathAtCommit: string;
}

/**
 * The commits that touched a file, newest first, following renames. Version numbers count up
 * from 1 at the oldest. `relPath` is relative to `repoRoot` (which may be a sub-folder of the
 * work tree). Returns [] when no commit touched the path, the folder is not a repository or has no
 * commits; throws only when git itself is missing (GitNotFoundError).
 *
 * With merges in the history this is not `git log --follow`: that follows one name along the
 * date-ordered walk, so a side-branch commit that edited the file under its old name, dated
 * before the rename on the main line, is lost. The same edge-by-edge walk as `labelFiles` is
 * used instead, so both always agree. Without merges `git log --follow` gives the same answer
 * faster and is used.
 */
export async function fileHistory(repoRoot: string, relPath: string, options: GitOptions = {}): Promise<PromptVersionEntry[]> {
  const git = { cwd: repoRoot, gitPath: options.gitPath };
  const rel = relPath.replace(/\\/g, '/');
  // On a history without merges `git log --follow` is exact and needs no full walk; ask both
  // questions at once and keep the follow answer when there is no merge.
  const follow: WalkedCommit[] = [];
  const parser = new NameStatusParser(LOG_FIELDS.length, (r) => follow.push(commitFromFields(r.fields, r.changes)));
  const [probe, merges, followRun] = await Promise.all([
    runGit(['rev-parse', '--show-prefix'], git),
    runGit(['rev-list', '--merges', '-n', '1', 'HEAD', '--'], git),
    runGit(['log', '--follow', '-z', '-M', '--name-status', '--no-ext-diff', LOG_FORMAT, 'HEAD', '--', rel],
      { ...git, onStdout: (chunk) => parser.push(chunk) }),
  ]);
  parser.end();
  if (probe.code !== 0 || merges.code !== 0) return [];
  if (merges.stdout.length === 0 && followRun.code === 0) {
    return toEntries(follow.filter((c) => c.changes.length > 0).map((c) => ({ commit: c, path: c.changes[c.changes.length - 1].path })));
  }

  const walk = await walkHistory(repoRoot, options.gitPath);
  if (!walk) return [];
  const key = path.posix.normalize(probe.stdout.toString('utf8').trim() + rel);
  const counts = countVersions(walk.commits, [key], (m, i) => walk.mergeRenames.get(m.hash)?.[i], { collectTouches: true });
  const order = new Map(walk.commits.map((c, i) => [c.hash, i]));
  // Newest committer time first; the walk's own order (children before parents) breaks ties.
  const touches = [...(counts.get(key)?.touches ?? [])]
    .sort((a, b) => b.commit.time - a.commit.time || order.get(a.commit.hash)! - order.get(b.commit.hash)!);
  return toEntries(touches);
}

function toEntries(touches: Array<{ commit: WalkedCommit; path: string }>): PromptVersionEntry[] {
  return touches.map(({ commit: c, path: pathAtCommit }, i) => ({
    version: touches.length - i,
    commit: c.hash,
    shortCommit: c.hash.slice(0, 7),
    author: c.author,
    date: c.date,
    subject: c.subject,
    pathAtCommit,
  }));
}

/**
 * The file's content at a commit, as text (UTF-8). `pathAtCommit` is from the top of the work
 * tree, as in PromptVersionEntry. Throws with git's message when the commit or path is unknown.
 */
export async function fileAtCommit(repoRoot: string, commit: string, pathAtCommit: string, options: GitOptions = {}): Promise<string> {
  // cat-file gives the stored bytes: no textconv, no pager, no end-of-line conversion.
  return gitText(['cat-file', 'blob', `${commit}:${pathAtCommit}`], { cwd: repoRoot, gitPath: options.gitPath });
}
