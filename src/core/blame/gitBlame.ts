// `git blame` of one file through the project's git runner: which commit introduced each line of
// the given text (the working copy or an editor's unsaved buffer), plus each commit's fields.
// Several blobs at commits are read in one `git cat-file --batch`, not one process per version.
import { runGit } from '../versions/runGit';
import { parseBlamePorcelain, type ParsedBlame } from './blamePorcelain';

/** Blame of `rel` (repository-relative) for `contents`, or of the file on disk when absent. */
export async function gitBlame(repoRoot: string, rel: string, contents?: string): Promise<ParsedBlame> {
  const args = ['blame', '--porcelain', ...(contents !== undefined ? ['--contents', '-'] : []), '--', rel];
  const r = await runGit(args, { cwd: repoRoot, stdin: contents });
  if (r.code !== 0) {
    const why = r.stderr.trim();
    // A file git does not know yet: every line is uncommitted, not an error.
    if (/no such path|not tracked|no such ref|does not have any commits/i.test(why)) return { lines: [], commits: new Map() };
    throw new Error(`git blame ${rel} failed in ${repoRoot}: ${why || `exit ${r.code}`}`);
  }
  return parseBlamePorcelain(r.stdout.toString('utf8'));
}

/**
 * The text of each `<commit>:<path>` in one git process; a spec git cannot find maps to
 * undefined. Specs must not contain newlines (git's batch input is one spec a line).
 */
export async function blobsAt(repoRoot: string, specs: readonly string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const unique = [...new Set(specs)].filter((s) => !s.includes('\n'));
  if (unique.length === 0) return out;
  const r = await runGit(['cat-file', '--batch'], { cwd: repoRoot, stdin: unique.join('\n') + '\n' });
  if (r.code !== 0) throw new Error(`git cat-file --batch failed in ${repoRoot}: ${r.stderr.trim() || `exit ${r.code}`}`);
  const buf = r.stdout;
  let at = 0;
  for (const spec of unique) {
    const eol = buf.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) { out.set(spec, undefined); continue; } // "<spec> missing" / "ambiguous"
    const size = Number(m[2]);
    out.set(spec, m[1] === 'blob' ? buf.subarray(at, at + size).toString('utf8') : undefined);
    at += size + 1; // the content, then a newline
  }
  return out;
}
