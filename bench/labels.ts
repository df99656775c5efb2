// Version labels for a whole workspace: one git pass (labelFiles) against the per-file way
// (`git log --follow` per file), on a synthetic repository of 10,000 commits touching 1,000
// prompt files with some renames; plus the on-save update (refreshLabelForText).
// The repository is built with `git fast-import` and cached in os.tmpdir() by its parameters.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileHistory } from '../src/core/versions/history';
import { labelFiles, refreshLabelForText } from '../src/core/versions/versionLabels';
import { medianMs, reportResult } from './report';

const COMMITS = 10_000;
const FILES = 1_000;
const RENAME_EVERY = 200; // commits; 50 renames in all
const SAMPLE = 50;
const LAYOUT = 1; // bump when the generator changes, so stale caches are not reused

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.test',
};

/** Deterministic PRNG (mulberry32) so every machine builds the same history. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function promptText(file: number, revision: number): string {
  return `---\nname: prompt ${file}\nmodel: gpt-test\n---\nsystem:\nYou summarise text, revision ${revision}.\n\nuser:\n{{input}}\n`;
}

/** The fast-import stream: commit 1 adds every file, later commits edit 1–3 files or rename one. */
function* fastImportStream(): Generator<string> {
  const random = rng(42);
  const names = Array.from({ length: FILES }, (_, i) => `prompts/group ${i % 20}/prompt-${i}.prompty`);
  const revisions = new Array<number>(FILES).fill(0);
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const time = 1_700_000_000;
  for (let c = 1; c <= COMMITS; c++) {
    let body = '';
    if (c === 1) {
      names.forEach((n, i) => (body += `M 100644 inline "${n}"\n${data(promptText(i, 0))}`));
    } else if (c % RENAME_EVERY === 0) {
      const i = Math.floor(random() * FILES);
      const to = names[i].replace(/prompt-(\d+)(?:-r\d+)?\.prompty$/, `prompt-$1-r${c}.prompty`);
      body += `R "${names[i]}" "${to}"\n`;
      names[i] = to;
    } else {
      const n = 1 + Math.floor(random() * 3);
      for (let k = 0; k < n; k++) {
        const i = Math.floor(random() * FILES);
        body += `M 100644 inline "${names[i]}"\n${data(promptText(i, ++revisions[i]))}`;
      }
    }
    const when = `${time + c * 60} +0000`;
    yield `commit refs/heads/main\nmark :${c}\nauthor Bench <bench@example.test> ${when}\ncommitter Bench <bench@example.test> ${when}\n` +
      data(`change ${c}`) + (c > 1 ? `from :${c - 1}\n` : '') + body + '\n';
  }
}

async function syntheticRepo(): Promise<string> {
  const dir = path.join(os.tmpdir(), `prompt-ledger-bench-labels-c${COMMITS}-f${FILES}-r${RENAME_EVERY}-l${LAYOUT}`);
  const done = path.join(dir, '.git', 'bench-complete');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: gitEnv });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, env: gitEnv, stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
    const stream = fastImportStream();
    const pump = () => {
      for (let next = stream.next(); !next.done; next = stream.next()) {
        if (!child.stdin.write(next.value)) return void child.stdin.once('drain', pump);
      }
      child.stdin.end();
    };
    pump();
  });
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir, env: gitEnv });
  execFileSync('git', ['gc', '-q'], { cwd: dir, env: gitEnv });
  fs.writeFileSync(done, '');
  console.log(`built synthetic repository in ${Math.round(performance.now() - t0)} ms: ${dir}`);
  return dir;
}

function gitLogFollow(dir: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['log', '--follow', '--format=%H', '--', file], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

async function main(): Promise<void> {
  const dir = await syntheticRepo();
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
  if (files.length !== FILES) throw new Error(`expected ${FILES} files in ${dir}, found ${files.length}`);

  const labels = await labelFiles(dir, files);
  const versions = [...labels.values()].map((l) => l.version);
  const total = versions.reduce((a, b) => a + b, 0);
  if (versions.some((v) => v < 1)) throw new Error('some file has no version: the walk is wrong');
  console.log(`versions: ${total} file-commits over ${files.length} files (min ${Math.min(...versions)}, max ${Math.max(...versions)})`);

  const ours = await medianMs(() => labelFiles(dir, files), { runs: 5, warmup: 1 });

  // The per-file way, on an evenly spaced sample, extrapolated to every file.
  const sample = files.filter((_, i) => i % (FILES / SAMPLE) === 0);
  await gitLogFollow(dir, sample[0]);
  const t0 = performance.now();
  for (const f of sample) await gitLogFollow(dir, f);
  const perFile = ((performance.now() - t0) / sample.length) * files.length;

  // On save: recompute one label from the editor text (no git).
  const label = labels.get(files[0])!;
  const text = fs.readFileSync(path.join(dir, files[0]), 'utf8') + 'edited line\n';
  const onSave = await medianMs(() => { for (let i = 0; i < 100; i++) refreshLabelForText(label, text); }, { runs: 7, warmup: 2 }) / 100;

  // History panel for one (renamed) file.
  const renamed = files.find((f) => /-r\d+\.prompty$/.test(f)) ?? files[0];
  const history = await medianMs(() => fileHistory(dir, renamed), { runs: 5, warmup: 1 });

  const scale = `${FILES} files × ${COMMITS} commits`;
  reportResult({ name: `labels: labelFiles, ${scale} (goal < 1000 ms)`, value: ours, unit: 'ms', baseline: 1000 });
  reportResult({ name: `labels: per-file git log --follow (${SAMPLE}-file sample ×${FILES / SAMPLE}) vs labelFiles (goal ratio ≥ 10)`, value: ours, unit: 'ms', baseline: perFile });
  reportResult({ name: `labels: fileHistory of one renamed file, ${COMMITS} commits (goal < 500 ms)`, value: history, unit: 'ms', baseline: 500 });
  reportResult({ name: 'labels: on-save refreshLabelForText, one file (goal < 5 ms)', value: onSave, unit: 'ms', baseline: 5 });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
