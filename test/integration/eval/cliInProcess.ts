// The eval CLI run in this process (evalCommand with the real node:http fetch), on a throwaway
// workspace whose suite calls a loopback fake: for tests of what a run does at the wire.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { evalCommand, type CliIo } from '../../../src/cli/evalCommand';

/** A prompt echoing `word`, `cases` cases (word = `w<i>` + pad), and wide.eval.yaml calling `url`. */
export function wireWorkspace(url: string, cases: number, opts: { modelExtra?: string; suiteExtra?: string; pad?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-wire-'));
  fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: p\n---\nEcho {{ word }}\n');
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), Array.from({ length: cases }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { word: `w${i}${opts.pad ?? ''}` } })).join('\n'));
  fs.writeFileSync(path.join(dir, 'wide.eval.yaml'), `prompt: p.md
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${url}/v1
    noAuth: true
${opts.modelExtra ?? ''}scorers:
  - type: contains
    value: "{{word}}"
${opts.suiteExtra ?? ''}`);
  return dir;
}

export async function runCliInProcess(args: string[], cwd: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => { stdout += c; });
  err.on('data', (c) => { stderr += c; });
  const io: CliIo = { stdout: out, stderr: err, cwd, env: { MLFLOW_TRACKING_URI: '' }, isTty: false };
  const code = await evalCommand(args, io);
  return { code, stdout, stderr };
}
