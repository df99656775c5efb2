// The eval benches' workspace: a prompt, a JSONL dataset of `cases` cases and a suite against the
// loopback fake endpoint (three scorers, a pass-rate threshold), in a fresh temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `promptfooChecks`: only the two checks promptfoo's config repeats (bench/vsPromptfoo.ts), no threshold. */
export function evalWorkspace(url: string, cases: number, concurrency: number, opts: { promptfooChecks?: boolean } = {}): { dir: string; suiteFile: string; suiteText: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-bench-eval-'));
  fs.writeFileSync(path.join(dir, 'p.md'), '---\nname: bench\n---\nsystem:\nAnswer briefly.\n\nuser:\nWhat is {{ topic }}? Case {{ n }}.\n');
  const lines = Array.from({ length: cases }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { topic: `topic ${i % 37}`, n: i }, expected: `topic ${i % 37}` }));
  fs.writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
  const suiteText = `prompt: p.md
dataset: cases.jsonl
models:
  - provider: openai
    model: gpt-4o-mini
    baseUrl: ${url}/v1
    noAuth: true
scorers:
  - type: icontains
    value: "{{topic}}"
  - type: levenshtein
    threshold: 200
${opts.promptfooChecks ? '' : `  - type: pii
thresholds:
  pass_rate: 0.5
`}concurrency: ${concurrency}
`;
  const suiteFile = path.join(dir, 'bench.eval.yaml');
  fs.writeFileSync(suiteFile, suiteText);
  return { dir, suiteFile, suiteText };
}
