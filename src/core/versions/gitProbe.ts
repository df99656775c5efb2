import path from 'node:path';
import { gitExecutable, runGit } from './runGit';

export interface GitOptions {
  /** Path to the git executable; defaults to the host's (useGitExecutable), else `git` on PATH. */
  gitPath?: string;
}

const availability = new Map<string, Promise<boolean>>();

/** True when the git executable runs. Cached per executable path for the life of the process. */
export function gitAvailable(options: GitOptions = {}): Promise<boolean> {
  const gitPath = gitExecutable(options.gitPath);
  let known = availability.get(gitPath);
  if (!known) {
    known = runGit(['--version'], { cwd: process.cwd(), gitPath }).then((r) => r.code === 0, () => false);
    availability.set(gitPath, known);
  }
  return known;
}

/**
 * The top-level folder of the work tree containing `dir`, or undefined when `dir` is not in a
 * repository or git is missing. Never throws.
 */
export async function findRepoRoot(dir: string, options: GitOptions = {}): Promise<string | undefined> {
  try {
    const r = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, gitPath: options.gitPath });
    const top = r.stdout.toString('utf8').trim();
    return r.code === 0 && top ? path.normalize(top) : undefined;
  } catch {
    return undefined; // git missing or not startable: no repository we can use
  }
}
