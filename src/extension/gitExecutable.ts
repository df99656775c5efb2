// The git the editor uses, handed to core's runGit: the built-in git extension's resolved path when
// it is active (it has already searched `git.path` and the usual places), else VS Code's `git.path`
// setting (a path, or a list whose first entry is tried), else `git` on PATH.
import * as vscode from 'vscode';
import { useGitExecutable } from '../core/versions/gitExecutable';

interface BuiltInGitApi {
  git: { path: string };
}
interface BuiltInGitExports {
  readonly enabled: boolean;
  getAPI(version: 1): BuiltInGitApi;
}

export function editorGitPath(): string | undefined {
  const builtIn = vscode.extensions.getExtension<BuiltInGitExports>('vscode.git');
  // Disabled by `git.enabled: false`, getAPI throws: the setting is all there is then.
  if (builtIn?.isActive && builtIn.exports?.enabled) {
    const resolved = builtIn.exports.getAPI(1).git.path;
    if (resolved) return resolved;
  }
  const setting = vscode.workspace.getConfiguration('git').get<string | string[] | null>('path');
  const first = Array.isArray(setting) ? setting[0] : setting;
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
}

/** Sets core's git now, again when the git extension has started, and whenever `git.path` changes. */
export function registerGitExecutable(onChange: () => void): vscode.Disposable[] {
  let current = editorGitPath();
  useGitExecutable(current);
  const update = () => {
    const next = editorGitPath();
    if (next === current) return;
    current = next;
    useGitExecutable(next);
    onChange();
  };
  const builtIn = vscode.extensions.getExtension('vscode.git');
  // VS Code starts its git extension in every workspace anyway; waiting for it costs nothing.
  if (builtIn && !builtIn.isActive) void Promise.resolve(builtIn.activate()).then(update, () => undefined);
  return [vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('git.path')) update(); })];
}
