import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** The git executable could not be started (not installed or not on PATH). */
export class GitNotFoundError extends Error {
  constructor(gitPath: string) {
    super(`git was not found ("${gitPath}"): install git or set the path to the git executable`);
    this.name = 'GitNotFoundError';
  }
}

export interface GitRunOptions {
  cwd: string;
  /** Path to the git executable; defaults to `git` on PATH. */
  gitPath?: string;
  /** Written to git's stdin, then stdin is closed. */
  stdin?: string;
  /** Receives stdout as it arrives; when given, `GitResult.stdout` stays empty. */
  onStdout?: (chunk: Buffer) => void;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// Config that would change the plumbing output we parse is pinned per call, so a user's
// ~/.gitconfig (signatures, colours, relative diffs, hidden root commits) cannot break parsing.
const PINNED_CONFIG = [
  '-c', 'core.quotepath=false',
  '-c', 'color.ui=false',
  '-c', 'log.showSignature=false',
  '-c', 'log.showRoot=true',
  '-c', 'diff.relative=false',
];

/**
 * Runs git and resolves with its exit code and output; never rejects for a non-zero exit.
 * Rejects with GitNotFoundError when the executable is missing.
 */
export function runGit(args: string[], options: GitRunOptions): Promise<GitResult> {
  const gitPath = options.gitPath ?? 'git';
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(options.cwd)) {
      // spawn reports a missing cwd as ENOENT too; answer it like git would for a non-repository.
      resolve({ code: 128, stdout: Buffer.alloc(0), stderr: `fatal: cannot change to '${options.cwd}': No such file or directory` });
      return;
    }
    const child = spawn(gitPath, [...PINNED_CONFIG, ...args], {
      cwd: options.cwd,
      // GIT_OPTIONAL_LOCKS=0: reading status must not take index.lock and race the user's git.
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', LANGUAGE: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : out.push(chunk)));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => { /* git may exit before reading stdin; the exit code tells */ });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' || e.code === 'EACCES' ? new GitNotFoundError(gitPath) : e);
    });
    child.on('close', (code) => {
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs git and returns stdout as text, throwing with git's message on a non-zero exit. */
export async function gitText(args: string[], options: GitRunOptions): Promise<string> {
  const r = await runGit(args, options);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed in ${options.cwd}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout.toString('utf8');
}
