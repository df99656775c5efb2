// The "Use in Python" snippet of a prompt version: MLflow's own client loads it by alias (or
// version) and formats it with this prompt's variables.
import type { MlflowPromptForm } from './promptForm';

export function pythonUsageSnippet(name: string, ref: { alias?: string; version?: string }, form: MlflowPromptForm, variables: readonly string[]): string {
  const uri = `prompts:/${name}${ref.alias ? `@${ref.alias}` : `/${ref.version ?? ''}`}`;
  const args = variables.map((v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? `${v}="…"` : `**{${JSON.stringify(v)}: "…"}`)).join(', ');
  const lines = [
    'import mlflow',
    '',
    `prompt = mlflow.genai.load_prompt(${JSON.stringify(uri)})`,
    form.type === 'chat' ? `messages = prompt.format(${args})  # [{"role": …, "content": …}, …]` : `text = prompt.format(${args})`,
  ];
  if (form.modelConfig) lines.push('config = prompt.model_config  # ' + Object.keys(form.modelConfig).join(', '));
  if (form.responseFormat) lines.push('schema = prompt.response_format');
  return lines.join('\n') + '\n';
}
