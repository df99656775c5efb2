// A git repository in a temp folder with a prompt, a dataset and a suite against the loopback fake
// LLM (which answers differently on every call, so only a cache replay gives identical outputs),
// and the CLI's eval / reproduce commands run in-process with captured output.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { evalCommand, type CliIo } from '../../../src/cli/evalCommand';
import { reproduceCommand } from '../../../src/cli/reproduceCommand';
import { makeRepo, type TestRepo } from '../../helpers/gitRepo';
import type { FakeLlmServer } from '../../helpers/fakeLlmServer';

export const PROMPT_V1 = '---\nname: shout\nmodel:\n  parameters:\n    temperature: 0.2\ninputs:\n  word:\n    type: string\n---\nsystem:\nRepeat the word.\n\nuser:\n{{ word }}\n';
export const PROMPT_V2 = PROMPT_V1.replace('Repeat the word.', 'Repeat the word, loudly.');
export const WORDS = ['alpha', 'beta', 'gamma', 'delta'];

export function suiteYaml(fake: FakeLlmServer, temperature?: number): string {
  return `prompt: p.prompty
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${fake.url}/v1
    noAuth: true${temperature !== undefined ? `\n    params: { temperature: ${temperature} }` : ''}
scorers:
  - type: contains
    value: "{{word}}"
`;
}

/** Answers `<word> #<call number>`: a fresh call never repeats an earlier answer. */
export function countingBehavior(): { behavior: Parameters<FakeLlmServer['setBehavior']>[0]; calls: () => number } {
  let n = 0;
  return { behavior: ({ prompt }) => ({ type: 'reply', text: `${prompt} #${++n}`, usage: { input: 10, output: 3 } }), calls: () => n };
}

export function makeReproduceRepo(fake: FakeLlmServer): TestRepo {
  const repo = makeRepo();
  repo.write('.gitignore', '.promptledger/\n');
  repo.write('p.prompty', PROMPT_V1);
  repo.write('cases.jsonl', `${WORDS.map((w, i) => JSON.stringify({ id: `c${i}`, vars: { word: w } })).join('\n')}\n`);
  repo.write('shout.eval.yaml', suiteYaml(fake));
  repo.commit('v1 of the prompt');
  return repo;
}

export interface CliOutcome { code: number; stdout: string; stderr: string }

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }), text: () => chunks.join('') };
}

async function inProcess(fn: (argv: string[], io: CliIo) => Promise<number>, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  const out = sink();
  const err = sink();
  const code = await fn(argv, { stdout: out.stream, stderr: err.stream, cwd, env: { ...process.env, MLFLOW_TRACKING_URI: '', ...env }, isTty: false });
  return { code, stdout: out.text(), stderr: err.text() };
}

export const cliEval = (cwd: string, ...argv: string[]) => inProcess(evalCommand, argv, cwd);
export const cliReproduce = (cwd: string, ...argv: string[]) => inProcess(reproduceCommand, argv, cwd);

/** The run id the eval summary line prints (`run=<id>`). */
export function runIdFrom(out: CliOutcome): string {
  const m = /run=([0-9a-f]{32})/.exec(out.stdout);
  if (!m) throw new Error(`no run id in eval output:\n${out.stdout}\n${out.stderr}`);
  return m[1];
}

export function removeArtifact(repoDir: string, runId: string, artifactPath: string): void {
  fs.rmSync(path.join(repoDir, '.promptledger', 'artifacts', runId, ...artifactPath.split('/')), { force: true });
}
