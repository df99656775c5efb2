import fs from 'node:fs/promises';
import path from 'node:path';
import { gitBlobHash } from './blobHash';
import type { GitOptions } from './gitProbe';
import { walkHistory } from './historyWalk';
import { GitNotFoundError, runGit } from './runGit';
import { parseLsTree, parseStatusV2 } from './statusParser';
import { countVersions } from './versionCounter';
import { emptyLabel, labelText } from './versionLabel';
import type { VersionLabel } from './versionLabel';

export { findRepoRoot, gitAvailable } from './gitProbe';
export type { GitOptions } from './gitProbe';
export { refreshLabelForText } from './versionLabel';
export type { VersionLabel, VersionState } from './versionLabel';

/**
 * Labels many files of one repository with a fixed number of git processes, whatever the
 * number of files: rev-parse, status, ls-tree and one log over the whole history (plus one
 * diff-tree when there are merges), all started at once. `relPaths` are relative to `repoRoot`
 * (which may be a sub-folder of the work tree), with `/` or `\`. The result has one label per
 * given path, keyed by the path exactly as given. Never throws: problems become labels.
 */
export async function labelFiles(repoRoot: string, relPaths: string[], options: GitOptions = {}): Promise<Map<string, VersionLabel>> {
  if (relPaths.length === 0) return new Map();
  try {
    return await labelOrThrow(repoRoot, relPaths, options);
  } catch (e) {
    if (e instanceof GitNotFoundError) return sameForAll(relPaths, emptyLabel('no-git'));
    return sameForAll(relPaths, emptyLabel('not-repo', { text: `not in git (${(e as Error).message})` }));
  }
}

function sameForAll(relPaths: string[], label: VersionLabel): Map<string, VersionLabel> {
  return new Map(relPaths.map((p) => [p, { ...label }]));
}

async function labelOrThrow(repoRoot: string, relPaths: string[], options: GitOptions): Promise<Map<string, VersionLabel>> {
  const git = { cwd: repoRoot, gitPath: options.gitPath };
  const [probe, statusRun, treeRun, walk] = await Promise.all([
    runGit(['rev-parse', '--is-shallow-repository', '--show-prefix'], git),
    runGit(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=no', '--no-renames', '--ignore-submodules=all'], git),
    runGit(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], git),
    walkHistory(repoRoot, options.gitPath),
  ]);
  if (probe.code !== 0) return sameForAll(relPaths, emptyLabel('not-repo'));
  const [shallowLine, prefix = ''] = probe.stdout.toString('utf8').split('\n');
  const shallow = shallowLine === 'true';
  const status = parseStatusV2(statusRun.stdout.toString('utf8'));
  const repoFlags = { shallow, detached: status.detached, branch: status.branch };
  if (!status.headCommit || treeRun.code !== 0 || !walk) return sameForAll(relPaths, emptyLabel('no-commits', repoFlags));

  // Keys are paths from the top of the work tree, the way every git output names files.
  const keyOf = new Map<string, string>();
  for (const rel of relPaths) {
    const key = topLevelPath(prefix, rel);
    if (key !== undefined) keyOf.set(rel, key);
  }
  const headBlobs = parseLsTree(treeRun.stdout.toString('utf8'));
  const followed = [...new Set([...keyOf.values()].filter((k) => headBlobs.has(k)))];
  const counts = countVersions(walk.commits, followed, (merge, i) => walk.mergeRenames.get(merge.hash)?.[i]);

  const labels = new Map<string, VersionLabel>();
  const reads: Promise<void>[] = [];
  for (const rel of relPaths) {
    const key = keyOf.get(rel);
    if (key === undefined) {
      labels.set(rel, emptyLabel('not-repo', repoFlags));
      continue;
    }
    const headBlob = headBlobs.get(key);
    if (headBlob === undefined) {
      labels.set(rel, emptyLabel('untracked', repoFlags));
      continue;
    }
    const count = counts.get(key)!;
    const change = status.changed.get(key);
    const last = count.last;
    const label: VersionLabel = {
      state: 'committed',
      version: count.version,
      commit: last?.hash,
      shortCommit: last?.hash.slice(0, 7),
      author: last?.author,
      date: last?.date,
      subject: last?.subject,
      headBlob,
      workingBlob: change ? undefined : headBlob,
      edited: change !== undefined,
      deleted: change?.deleted ?? false,
      ...repoFlags,
      text: '',
    };
    label.text = labelText(label);
    labels.set(rel, label);
    if (change && !change.deleted) {
      // Only edited files are read: git already vouched that the others equal HEAD.
      reads.push(fs.readFile(path.join(repoRoot, rel))
        .then((bytes) => { label.workingBlob = gitBlobHash(bytes); }, () => undefined));
    }
  }
  await Promise.all(reads);
  return labels;
}

/** `prefix` + the normalised relative path, or undefined when it leaves the folder. */
function topLevelPath(prefix: string, rel: string): string | undefined {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  if (norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm)) return undefined;
  return path.posix.normalize(prefix + norm);
}
