/** Parsers for `git status --porcelain=v2 -z --branch` and `git ls-tree -r -z`. */

export interface WorktreeStatus {
  /** Commit id of HEAD, or undefined when the repository has no commits yet. */
  headCommit?: string;
  /** Current branch, or undefined when HEAD is detached. */
  branch?: string;
  detached: boolean;
  /** Tracked paths that differ from HEAD (in the index or the working tree). */
  changed: Map<string, { deleted: boolean }>;
  untracked: Set<string>;
}

/** Porcelain v2 paths are relative to the repository's top level, whatever the cwd. */
export function parseStatusV2(output: string): WorktreeStatus {
  const status: WorktreeStatus = { detached: false, changed: new Map(), untracked: new Set() };
  const tokens = output.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    switch (t[0]) {
      case '#': {
        const [, key, value] = t.match(/^# (\S+) (.*)$/) ?? [];
        if (key === 'branch.oid' && value !== '(initial)') status.headCommit = value;
        if (key === 'branch.head') {
          if (value === '(detached)') status.detached = true;
          else status.branch = value;
        }
        break;
      }
      case '1': { // 1 XY sub mH mI mW hH hI path
        const xy = t.slice(2, 4);
        status.changed.set(fieldsAfter(t, 8), { deleted: xy.includes('D') });
        break;
      }
      case '2': { // 2 XY sub mH mI mW hH hI Xscore path \0 origPath
        const xy = t.slice(2, 4);
        const orig = tokens[++i];
        status.changed.set(fieldsAfter(t, 9), { deleted: xy[1] === 'D' });
        if (orig) status.changed.set(orig, { deleted: true });
        break;
      }
      case 'u': // u XY sub m1 m2 m3 mW h1 h2 h3 path
        status.changed.set(fieldsAfter(t, 10), { deleted: false });
        break;
      case '?':
        status.untracked.add(t.slice(2));
        break;
      default:
        break; // '!' ignored entries are not requested
    }
  }
  return status;
}

/** The rest of the line after `n` space-separated fields (the path may itself contain spaces). */
function fieldsAfter(line: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) at = line.indexOf(' ', at) + 1;
  return line.slice(at);
}

/** Maps each blob path in `git ls-tree -r -z --full-tree <commit>` output to its blob id. */
export function parseLsTree(output: string): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const entry of output.split('\0')) {
    if (!entry) continue;
    // <mode> SP <type> SP <object> TAB <path>
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(entry.slice(tab + 1), id);
  }
  return blobs;
}
