// Parses `git blame --porcelain`: one header per line ("<sha> <orig> <final> [<count>]"), the
// commit's fields only the first time that commit appears, then the line itself after a tab.

export const UNCOMMITTED = '0'.repeat(40);

export interface BlameCommit {
  commit: string;
  shortCommit: string;
  author: string;
  authorMail: string;
  /** Author date, ISO 8601 (UTC). */
  date: string;
  subject: string;
  /** The file's path in this commit (renames followed by git). */
  path: string;
  /** The commit's parent and the file's path there; absent for the file's first commit. */
  previous?: { commit: string; path: string };
}

export interface BlamedLine {
  /** 1-based line number in the blamed text. */
  line: number;
  commit: string;
  text: string;
}

export interface ParsedBlame {
  lines: BlamedLine[];
  /** Every commit the lines name, except UNCOMMITTED. */
  commits: Map<string, BlameCommit>;
}

const HEADER = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: \d+)?$/;

export function parseBlamePorcelain(out: string): ParsedBlame {
  const lines: BlamedLine[] = [];
  const fields = new Map<string, Record<string, string>>();
  let current: { commit: string; line: number } | undefined;
  for (const raw of out.split('\n')) {
    if (current && raw.startsWith('\t')) {
      lines.push({ line: current.line, commit: current.commit, text: raw.slice(1) });
      current = undefined;
      continue;
    }
    const h = HEADER.exec(raw);
    if (h) {
      current = { commit: h[1], line: Number(h[3]) };
      if (!fields.has(h[1])) fields.set(h[1], {});
      continue;
    }
    if (!current) continue;
    const sp = raw.indexOf(' ');
    const key = sp < 0 ? raw : raw.slice(0, sp);
    fields.get(current.commit)![key] = sp < 0 ? '' : raw.slice(sp + 1);
  }
  const commits = new Map<string, BlameCommit>();
  for (const [commit, f] of fields) {
    if (commit === UNCOMMITTED) continue;
    const prev = f.previous ? /^([0-9a-f]+) (.*)$/.exec(f.previous) : null;
    commits.set(commit, {
      commit,
      shortCommit: commit.slice(0, 7),
      author: f.author ?? '',
      authorMail: (f['author-mail'] ?? '').replace(/^<|>$/g, ''),
      date: new Date(Number(f['author-time'] ?? 0) * 1000).toISOString(),
      subject: f.summary ?? '',
      path: f.filename ?? '',
      previous: prev ? { commit: prev[1], path: prev[2] } : undefined,
    });
  }
  return { lines: lines.sort((a, b) => a.line - b.line), commits };
}
