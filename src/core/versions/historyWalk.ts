import { NameStatusParser } from './nameStatusParser';
import type { FileChange } from './nameStatusParser';
import { runGit } from './runGit';
import type { WalkedCommit } from './versionCounter';

export const LOG_FIELDS = ['%H', '%P', '%ct', '%an', '%aI', '%s'];
export const LOG_FORMAT = `--format=%x01${LOG_FIELDS.join('%x00')}`;

export function commitFromFields(fields: string[], changes: FileChange[]): WalkedCommit {
  const [hash, parents, time, author, date, subject] = fields;
  return { hash, parents: parents ? parents.split(' ') : [], time: Number(time), author, date, subject, changes };
}

export interface HistoryWalk {
  commits: WalkedCommit[];
  /** Renames between each merge and each of its parents, by merge hash then parent index. */
  mergeRenames: Map<string, FileChange[][]>;
}

/**
 * Reads the whole history reachable from HEAD in one `git log` (children before parents, with
 * the files each non-merge commit changed, renames detected), parsed while git streams it.
 * Merges get one more process for all of them together: `git diff-tree --stdin` with one
 * "<merge> <parent>" line per edge, keeping only renames. Returns undefined when HEAD has no
 * commits or git fails.
 */
export async function walkHistory(cwd: string, gitPath?: string): Promise<HistoryWalk | undefined> {
  const commits: WalkedCommit[] = [];
  const parser = new NameStatusParser(LOG_FIELDS.length, (r) => commits.push(commitFromFields(r.fields, r.changes)));
  const log = await runGit(
    ['log', '-z', '--topo-order', '-M', '--name-status', '--no-ext-diff', LOG_FORMAT, 'HEAD', '--'],
    { cwd, gitPath, onStdout: (chunk) => parser.push(chunk) },
  );
  if (log.code !== 0) return undefined;
  parser.end();

  const mergeRenames = new Map<string, FileChange[][]>();
  const merges = commits.filter((c) => c.parents.length > 1);
  if (merges.length === 0) return { commits, mergeRenames };

  const edges: Array<{ merge: string; index: number }> = [];
  let stdin = '';
  for (const m of merges) {
    mergeRenames.set(m.hash, m.parents.map(() => []));
    m.parents.forEach((p, index) => {
      edges.push({ merge: m.hash, index });
      stdin += `${m.hash} ${p}\n`;
    });
  }
  // --always prints a header for every line, even with no renames, so headers map 1:1 to edges.
  let edge = 0;
  const diffParser = new NameStatusParser(1, (r) => {
    const e = edges[edge++];
    if (e) mergeRenames.get(e.merge)![e.index] = r.changes;
  });
  const diff = await runGit(
    ['diff-tree', '--stdin', '-z', '-r', '-M', '--name-status', '--diff-filter=R', '--always', '--no-ext-diff', '--format=%x01%H'],
    { cwd, gitPath, stdin, onStdout: (chunk) => diffParser.push(chunk) },
  );
  diffParser.end();
  if (diff.code !== 0) return { commits, mergeRenames: new Map() };
  return { commits, mergeRenames };
}
