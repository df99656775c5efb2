// A file as it was at any git revision (a commit id, a branch, `HEAD~2`, or the file's own `v3`),
// read from git's object store: the user's working copy, index and HEAD are never touched.
import fs from 'node:fs';
import path from 'node:path';
import { fileAtCommit, fileHistory, type PromptVersionEntry } from './history';
import { findRepoRoot } from './gitProbe';
import { runGit } from './runGit';
import { findVersion, parseVersionRef } from './versionRef';

export interface VersionAtRevision {
  repoRoot: string;
  /** The revision as asked (`v3`, `HEAD~1`, `3f2a9c1`…). */
  rev: string;
  /** The commit the revision names (40 hex digits). */
  commit: string;
  /** The file's version in effect at that commit: the last commit at or before it that touched the file. */
  entry: PromptVersionEntry;
  text: string;
}

/** Why a file could not be read at a revision, in words that say what to do. */
export class RevisionNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionNotFoundError';
  }
}

/** The repository holding `file` and the file's path in it ('/'-separated), or undefined outside git. */
export async function repoPathOf(file: string): Promise<{ repoRoot: string; rel: string } | undefined> {
  let dir = path.dirname(path.resolve(file));
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const repoRoot = await findRepoRoot(dir);
  if (!repoRoot) return undefined;
  const real = (p: string) => { try { return fs.realpathSync(p); } catch { return p; } };
  const abs = path.join(real(path.dirname(path.resolve(file))), path.basename(file));
  return { repoRoot, rel: path.relative(real(repoRoot), abs).split(path.sep).join('/') };
}

/** The commit a revision names, or undefined when the repository has no such commit. */
export async function resolveCommit(repoRoot: string, rev: string): Promise<string | undefined> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: repoRoot });
  const id = r.stdout.toString('utf8').trim();
  return r.code === 0 && /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
}

async function isAncestor(repoRoot: string, ancestor: string, of: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', ancestor, of], { cwd: repoRoot })).code === 0;
}

/**
 * `file` at `rev`. `v3` (or `3`) is the file's own version number along its history (renames
 * followed); anything else goes to git as a revision. Throws RevisionNotFoundError when the file
 * is not in git, the revision is unknown, or the file did not exist at that revision.
 */
export async function versionAtRevision(file: string, rev: string): Promise<VersionAtRevision> {
  const where = await repoPathOf(file);
  const name = path.basename(file);
  if (!where) throw new RevisionNotFoundError(`${name} is not in a git repository, so it has no version ${rev}.`);
  const { repoRoot, rel } = where;
  const history = await fileHistory(repoRoot, rel);
  if (history.length === 0) throw new RevisionNotFoundError(`${rel} has no committed versions yet; commit it first.`);
  const selector = parseVersionRef(`x@${rev}`).selector;
  let entry: PromptVersionEntry | undefined;
  let commit: string | undefined;
  if (selector?.kind === 'version') {
    entry = findVersion(history, selector);
    if (!entry) throw new RevisionNotFoundError(`${rel} has no version ${rev}: its versions are v1…v${history[0].version}.`);
    commit = entry.commit;
  } else {
    commit = await resolveCommit(repoRoot, rev);
    if (!commit) throw new RevisionNotFoundError(`'${rev}' is not a commit, branch or tag in ${repoRoot} (a shallow clone or a pruned commit?). Use a commit id, a branch, or a version such as v${history[0].version}.`);
    entry = history.find((e) => e.commit === commit);
    for (const e of entry ? [] : history) {
      if (await isAncestor(repoRoot, e.commit, commit)) { entry = e; break; }
    }
    if (!entry) throw new RevisionNotFoundError(`${rel} did not exist yet at ${rev} (${commit.slice(0, 7)}); its first version is v1 at ${history[history.length - 1].shortCommit}.`);
  }
  let text: string;
  try {
    text = await fileAtCommit(repoRoot, commit, entry.pathAtCommit);
  } catch {
    throw new RevisionNotFoundError(`${rel} is not in commit ${commit.slice(0, 7)} (deleted there?).`);
  }
  return { repoRoot, rev, commit, entry, text };
}
