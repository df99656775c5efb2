// Who moves an alias, for the audit trail: git's user.name in the workspace, else the OS user.
import { execFile } from 'node:child_process';
import os from 'node:os';

export async function currentAuthor(cwd: string | undefined): Promise<string> {
  const fromGit = await new Promise<string>((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: cwd ?? process.cwd(), timeout: 5000 }, (err, stdout) => resolve(err ? '' : String(stdout).trim()));
  });
  if (fromGit) return fromGit;
  try { return os.userInfo().username; } catch { return process.env.USER ?? process.env.USERNAME ?? 'unknown'; }
}
