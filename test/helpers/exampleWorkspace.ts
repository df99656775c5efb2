// A throw-away copy of examples/ as a real git repository with a short history, so prompt
// versions (v1, v2, v3…) are real in extension-host and UI tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './codeServer';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada Example', GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada Example', GIT_COMMITTER_EMAIL: 'ada@example.test',
};

export interface ExampleWorkspace { dir: string; git(...args: string[]): string; cleanup(): void }

/**
 * Copies examples/ and commits it three times: each prompt file's `description:` line reads
 * "first draft", then "second draft", then the real text — so every prompt is at v3.
 */
export function makeExampleWorkspace(): ExampleWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-ws-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'examples'), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, {
    cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV },
  });
  git('init', '-q', '-b', 'main');
  git('config', 'commit.gpgsign', 'false');
  const prompts = listFiles(dir).filter((f) => /\.(prompty|md|txt)$/.test(f) && f.includes('prompts'));
  const originals = new Map(prompts.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const drafts = ['first draft', 'second draft'];
  drafts.forEach((draft, i) => {
    for (const [f, text] of originals) {
      fs.writeFileSync(path.join(dir, f), text.replace(/^description:.*$/m, `description: ${draft}`));
    }
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', i === 0 ? 'Add example prompts' : 'Tighten prompt descriptions', '--date', `2026-11-0${i + 1}T10:00:00Z`);
  });
  for (const [f, text] of originals) fs.writeFileSync(path.join(dir, f), text);
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'Final prompt descriptions', '--date', '2026-11-03T10:00:00Z');
  return { dir, git, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function listFiles(root: string, rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((d) => {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.name === '.git') return [];
    return d.isDirectory() ? listFiles(root, p) : [p];
  });
}
