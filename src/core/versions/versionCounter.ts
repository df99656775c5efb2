import type { FileChange } from './nameStatusParser';

/** One commit from `git log --topo-order`, children before parents. */
export interface WalkedCommit {
  hash: string;
  parents: string[];
  /** Committer time, seconds since the epoch: picks the latest touch like `git log -1 -- file`. */
  time: number;
  author: string;
  date: string;
  subject: string;
  /** Changes against the only parent (none for merges: git log shows no diff for them). */
  changes: FileChange[];
}

export interface FileVersionCount {
  version: number;
  /** The touching commit with the latest committer time (what `git log -1 -- file` shows). */
  last?: WalkedCommit;
  /** Every touching commit in walk order with the file's name there (only when asked for). */
  touches?: Array<{ commit: WalkedCommit; path: string }>;
}

/** name in a commit's tree -> key of the file being followed (its path at HEAD). */
type NameMap = Map<string, string>;

/**
 * Counts, for every followed file, the non-merge commits that touched it, following renames.
 *
 * Each commit carries the map "name in this commit's tree -> followed file"; a parent inherits
 * it with the renames along that edge undone. Because the map travels along edges, a side
 * branch that edited a file under its old name still counts after the main line renamed it,
 * and a commit reached through two merges is counted once. Maps are shared until a rename
 * changes them, so the walk is linear in the number of changes.
 *
 * `mergeRenames(merge, parentIndex)` gives the renames between a merge and one of its parents
 * (git log prints no diff for merges), or undefined when none.
 */
export function countVersions(
  commits: Iterable<WalkedCommit>,
  followed: string[],
  mergeRenames: (merge: WalkedCommit, parentIndex: number) => FileChange[] | undefined,
  options: { collectTouches?: boolean } = {},
): Map<string, FileVersionCount> {
  const counts = new Map<string, FileVersionCount>();
  for (const key of followed) counts.set(key, options.collectTouches ? { version: 0, touches: [] } : { version: 0 });
  const pending = new Map<string, NameMap>();
  let first = true;
  for (const commit of commits) {
    let names = pending.get(commit.hash);
    if (names) pending.delete(commit.hash);
    else if (first) names = new Map(followed.map((k) => [k, k]));
    else continue; // not reachable from the walk's tip through the edges seen: cannot carry names
    first = false;

    for (const change of commit.changes) {
      const key = names.get(change.path);
      if (key === undefined) continue;
      const c = counts.get(key)!;
      c.version++;
      c.touches?.push({ commit, path: change.path });
      if (!c.last || commit.time > c.last.time) c.last = commit;
    }

    commit.parents.forEach((parent, i) => {
      const edge = commit.parents.length === 1 ? commit.changes : mergeRenames(commit, i);
      const parentNames = undoRenames(names!, edge);
      const seen = pending.get(parent);
      pending.set(parent, seen ? mergeNames(seen, parentNames) : parentNames);
    });
  }
  return counts;
}

function undoRenames(names: NameMap, changes: FileChange[] | undefined): NameMap {
  if (!changes) return names;
  let moved: Array<[string, string]> | undefined;
  for (const ch of changes) {
    if (ch.status !== 'R' || ch.oldPath === undefined) continue;
    const key = names.get(ch.path);
    if (key !== undefined) (moved ??= []).push([ch.path, key]);
  }
  if (!moved) return names;
  const renamedFrom = new Map(changes.filter((c) => c.status === 'R').map((c) => [c.path, c.oldPath!]));
  const next = new Map(names);
  // Delete every new name first, so swaps (a->b and b->a in one commit) come out right.
  for (const [newName] of moved) next.delete(newName);
  for (const [newName, key] of moved) next.set(renamedFrom.get(newName)!, key);
  return next;
}

function mergeNames(a: NameMap, b: NameMap): NameMap {
  if (a === b) return a;
  let merged: NameMap | undefined;
  for (const [name, key] of b) {
    if (a.has(name)) continue;
    (merged ??= new Map(a)).set(name, key);
  }
  return merged ?? a;
}
