// Prompt blame: for each line of a prompt, the commit that introduced it (git blame) and the
// pass-rate change that commit caused on the prompt's suite — the pass rate of the run of the
// file's text at that commit against the run of its text at the commit's parent. Runs are found
// by content hash (what every eval run records), so a run of the same text from any commit, or
// from `eval --at`, counts. Versions without a run are listed, to be evaluated.
// Reads: plan (blame + the blobs' hashes) → look up runs → build lines.
import { normalizedContentHash } from '../prompts/contentHash';
import type { TrackingStore } from '../tracking/types';
import { repoPathOf } from '../versions/versionAtRevision';
import { UNCOMMITTED, type BlameCommit } from './blamePorcelain';
import { blobsAt, gitBlame } from './gitBlame';
import { findVersionRuns, type MeasuredRun } from './versionRuns';

export interface BlameVersion {
  /** A commit whose text of the file is this version (the blamed commit, or its parent). */
  commit: string;
  hash?: string;
  run?: MeasuredRun;
}

export type BlameStatus =
  /** Both the commit and its parent have a run: `delta` is set. */
  | 'measured'
  /** The commit added the file: there is nothing before it. */
  | 'first-version'
  /** The commit's text has no run. */
  | 'not-evaluated'
  /** The commit's text has a run, its parent's has none. */
  | 'parent-not-evaluated'
  /** The line is not committed yet (edited in the working copy or the editor). */
  | 'uncommitted';

export interface PromptBlameLine {
  /** 1-based. */
  line: number;
  text: string;
  status: BlameStatus;
  commit?: BlameCommit;
  after?: BlameVersion;
  before?: BlameVersion;
  /** after − before in percentage points (rounded rates, as the CodeLens shows them). */
  delta?: number;
}

/** A version with no run: evaluate it (eval --at <commit>) to complete the blame. */
export interface MissingVersion { commit: string; shortCommit: string; subject?: string; hash: string }

export interface PromptBlame {
  file: string;
  relPath: string;
  repoRoot: string;
  suite?: string;
  model?: string;
  lines: PromptBlameLine[];
  missing: MissingVersion[];
}

export interface PromptBlameQuery {
  /** Absolute path of the prompt file. */
  file: string;
  /** Workspace-relative path, as runs record it (TAGS.promptPath). */
  relPath: string;
  /** The text to blame (an editor's buffer); the file on disk when absent. */
  contents?: string;
  /** Workspace-relative suite path; default: the suite with the most runs of this prompt. */
  suite?: string;
}

export class NotInGitError extends Error {
  constructor(file: string) {
    super(`${file} is not in a git repository: blame needs its history. Commit it in a git repository first.`);
    this.name = 'NotInGitError';
  }
}

const pct = (x: number) => Math.round(x * 100);
const spec = (commit: string, path: string) => `${commit}:${path}`;

export async function promptBlame(store: TrackingStore, q: PromptBlameQuery): Promise<PromptBlame> {
  // Plan: which commit each line comes from, and the text of each commit and parent involved.
  const where = await repoPathOf(q.file);
  if (!where) throw new NotInGitError(q.file);
  const blame = await gitBlame(where.repoRoot, where.rel, q.contents);
  const commits = [...blame.commits.values()];
  const specs = commits.flatMap((c) => [spec(c.commit, c.path), ...(c.previous ? [spec(c.previous.commit, c.previous.path)] : [])]);
  const blobs = await blobsAt(where.repoRoot, specs);
  const hashOf = (s: string) => { const t = blobs.get(s); return t === undefined ? undefined : normalizedContentHash(t); };
  const hashes = new Map(specs.map((s) => [s, hashOf(s)]));

  // Look up: the runs of those texts, on one suite and model.
  const runs = await findVersionRuns(store, { relPath: q.relPath, hashes: [...new Set([...hashes.values()].filter((h): h is string => !!h))], suite: q.suite });
  const version = (commit: string, path: string): BlameVersion => {
    const hash = hashes.get(spec(commit, path));
    return { commit, hash, run: hash ? runs.byHash.get(hash) : undefined };
  };

  // Build the lines.
  const perCommit = new Map<string, Omit<PromptBlameLine, 'line' | 'text'>>();
  for (const c of commits) {
    const after = version(c.commit, c.path);
    const before = c.previous && version(c.previous.commit, c.previous.path);
    const status: BlameStatus = !after.run ? 'not-evaluated' : !before ? 'first-version' : !before.run ? 'parent-not-evaluated' : 'measured';
    perCommit.set(c.commit, {
      status, commit: c, after, before,
      delta: status === 'measured' ? pct(after.run!.passRate) - pct(before!.run!.passRate) : undefined,
    });
  }
  let lines: PromptBlameLine[] = blame.lines.map((l) => (l.commit === UNCOMMITTED || !perCommit.has(l.commit)
    ? { line: l.line, text: l.text, status: 'uncommitted' }
    : { line: l.line, text: l.text, ...perCommit.get(l.commit)! }));
  if (lines.length === 0 && q.contents) {
    // A file git does not track yet: every line is uncommitted.
    lines = q.contents.replace(/\r?\n$/, '').split(/\r?\n/).map((text, i) => ({ line: i + 1, text, status: 'uncommitted' }));
  }

  // Versions to evaluate: each text without a run once (two commits may hold the same text).
  const missing = new Map<string, MissingVersion>();
  for (const c of commits) {
    const p = perCommit.get(c.commit)!;
    for (const v of [p.after, p.before]) {
      if (!v || v.run || !v.hash || missing.has(v.hash)) continue;
      missing.set(v.hash, { commit: v.commit, shortCommit: v.commit.slice(0, 7), subject: blame.commits.get(v.commit)?.subject, hash: v.hash });
    }
  }
  return { file: q.file, relPath: q.relPath, repoRoot: where.repoRoot, suite: runs.suite, model: runs.model, lines, missing: [...missing.values()] };
}
