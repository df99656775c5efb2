// Real git repositories in temp folders for tests. Every git call runs with a fixed identity,
// a clock that advances one minute per commit, and no global/system config, so commit ids are
// the same on every machine and every run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CommitOptions {
  /** `Name <email>`, or just a name (email becomes `<name>@example.test`). */
  author?: string;
  /** Any date git accepts; defaults to the repo clock (2024-01-01, +1 minute per commit). */
  date?: string;
  /** Commit even when nothing is staged. */
  allowEmpty?: boolean;
}

export interface TestRepo {
  /** The work tree (real path, no symlinks). */
  dir: string;
  /** Writes a file (creating folders), relative to dir. Strings are written as UTF-8. */
  write(rel: string, content: string | Uint8Array): void;
  read(rel: string): string;
  remove(rel: string): void;
  /** `git add -A` then commit; returns the new commit id. */
  commit(message: string, options?: CommitOptions): string;
  /** `git mv a b` (commit it yourself). */
  mv(from: string, to: string): void;
  /** Runs git in dir with the test environment; returns stdout without the trailing newline. */
  git(...args: string[]): string;
  branch(name: string): void;
  checkout(ref: string): void;
  /** `git merge --no-ff`; returns the merge commit id. */
  merge(ref: string, message?: string): string;
  head(): string;
  /** Deletes the folder (and every repo cloned into it by `clone`). */
  cleanup(): void;
}

export interface MakeRepoOptions {
  /** false: a plain folder without `git init` (for "not a repository" cases). */
  init?: boolean;
  /** Initial branch name; default `main`. */
  branch?: string;
  /** Parent folder; default os.tmpdir(). */
  parent?: string;
}

let clock = Date.UTC(2024, 0, 1, 9, 0, 0) / 1000;

/** Environment for every git process in tests: no user config, fixed identities. */
export function testGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.test',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

export function runTestGit(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: testGitEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

export function makeRepo(options: MakeRepoOptions = {}): TestRepo {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), 'pl-repo-')));
  if (options.init !== false) {
    runTestGit(dir, ['init', '-q', '-b', options.branch ?? 'main']);
    // Repo-local settings the tests rely on, whatever git's defaults become.
    runTestGit(dir, ['config', 'core.autocrlf', 'false']);
    runTestGit(dir, ['config', 'commit.gpgsign', 'false']);
  }
  return repoAt(dir, dir);
}

/** `git clone` of `source` into a new temp folder (e.g. `['--depth', '2']`, cloned over file://). */
export function cloneRepo(source: TestRepo, args: string[] = []): TestRepo {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pl-clone-')));
  runTestGit(parent, ['clone', '-q', ...args, `file://${source.dir}`, 'work']);
  return repoAt(path.join(parent, 'work'), parent);
}

function repoAt(dir: string, removeOnCleanup: string): TestRepo {
  const git = (...args: string[]) => runTestGit(dir, args);
  const abs = (rel: string) => path.join(dir, ...rel.split('/'));
  const nextDate = () => `${(clock += 60)} +0000`;
  return {
    dir,
    write(rel, content) {
      fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
      fs.writeFileSync(abs(rel), content);
    },
    read: (rel) => fs.readFileSync(abs(rel), 'utf8'),
    remove: (rel) => fs.rmSync(abs(rel), { force: true }),
    commit(message, opts = {}) {
      git('add', '-A');
      const date = opts.date ?? nextDate();
      const env: Record<string, string> = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
      if (opts.author) {
        const m = opts.author.match(/^(.*?)\s*<(.+)>$/);
        env.GIT_AUTHOR_NAME = m ? m[1] : opts.author;
        env.GIT_AUTHOR_EMAIL = m ? m[2] : `${opts.author.replace(/\W+/g, '.').toLowerCase()}@example.test`;
      }
      runTestGit(dir, ['commit', '-q', '--no-verify', ...(opts.allowEmpty ? ['--allow-empty'] : []), '-m', message], env);
      return git('rev-parse', 'HEAD');
    },
    mv(from, to) {
      fs.mkdirSync(path.dirname(abs(to)), { recursive: true });
      git('mv', from, to);
    },
    git,
    branch: (name) => void git('branch', name),
    checkout: (ref) => void git('checkout', '-q', ref),
    merge(ref, message) {
      const date = nextDate();
      runTestGit(dir, ['merge', '-q', '--no-ff', '-m', message ?? `Merge ${ref}`, ref], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      return git('rev-parse', 'HEAD');
    },
    head: () => git('rev-parse', 'HEAD'),
    cleanup: () => fs.rmSync(removeOnCleanup, { recursive: true, force: true }),
  };
}
