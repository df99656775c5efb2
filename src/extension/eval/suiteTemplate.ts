// The starter suite offered when a prompt has none: the echo model (no API key), one inline case
// built from the prompt's sample values, and a contains scorer that checks the variable arrives.
import path from 'node:path';
import YAML from 'yaml';
import type { ParsedPrompt } from '../../core/prompts/promptTypes';

export function suiteFileFor(promptPath: string): string {
  const base = path.basename(promptPath).replace(/\.[^.]+$/, '');
  return path.join(path.dirname(promptPath), `${base}.eval.yaml`);
}

export function suiteTemplate(promptPath: string, parsed: ParsedPrompt | undefined): string {
  const names = parsed ? [...new Set([...parsed.inputs.map((i) => i.name), ...Object.keys(parsed.sample ?? {})])] : [];
  const vars: Record<string, unknown> = {};
  for (const n of names) vars[n] = parsed?.sample?.[n] ?? `example ${n}`;
  const first = names.find((n) => typeof vars[n] === 'string');
  const doc = {
    prompt: `./${path.basename(promptPath)}`,
    dataset: { cases: [{ id: 'example', vars }] },
    models: [{ provider: 'echo' }],
    scorers: [first ? { type: 'contains', value: `{{${first}}}` } : { type: 'contains', value: 'TODO: text the answer must contain' }],
    thresholds: { pass_rate: 1 },
  };
  return [
    `# Eval suite for ${path.basename(promptPath)}. The echo model answers with the rendered prompt (no API key).`,
    '# Add cases under dataset.cases (or point dataset: at a .jsonl/.csv file) and a real model under models.',
    YAML.stringify(doc, { lineWidth: 0 }),
  ].join('\n');
}
