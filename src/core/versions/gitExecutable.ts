// The editor's git (VS Code's `git.path` or the built-in git extension's), set by the host through
// useGitExecutable; core reads no editor settings itself, and the CLI leaves it unset (`git` on
// PATH). This module is bundled eagerly into the extension host bundle (esbuild.mjs), so setting
// it during activation does not load the lazy core bundle (that cost activation 83 ms); the core
// bundle has its own copy, so the value lives on globalThis under a registered symbol both read.
const KEY = Symbol.for('prompt-ledger.gitExecutable');
type Holder = { [KEY]?: string };

/** The git executable for calls that name none; undefined goes back to `git` on PATH. */
export function useGitExecutable(gitPath: string | undefined): void {
  (globalThis as Holder)[KEY] = gitPath || undefined;
}

/** The executable a call with these options runs. */
export function gitExecutable(gitPath?: string): string {
  return gitPath ?? (globalThis as Holder)[KEY] ?? 'git';
}
