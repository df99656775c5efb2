// Maps a suite's `models:` entry to the providers' config and to what a run records about it.
import path from 'node:path';
import type { ProviderConfig, SamplingParams } from '../providers/types';
import type { ModelSpec } from './suiteSchema';

export function toProviderConfig(spec: ModelSpec, baseDir: string): ProviderConfig {
  switch (spec.provider) {
    case 'openai':
      return { kind: 'openai', model: spec.model, baseUrl: spec.baseUrl, apiKeyEnv: spec.apiKeyEnv, azureApiVersion: spec.azureApiVersion, deployment: spec.deployment, noAuth: spec.noAuth, rpm: spec.rpm, tpm: spec.tpm };
    case 'anthropic':
      return { kind: 'anthropic', model: spec.model, baseUrl: spec.baseUrl, apiKeyEnv: spec.apiKeyEnv, anthropicVersion: spec.anthropicVersion, rpm: spec.rpm, tpm: spec.tpm };
    case 'command':
      return { kind: 'command', command: spec.command, args: spec.args, input: spec.input ?? 'stdin', cwd: path.resolve(baseDir, spec.cwd ?? '.'), env: spec.env };
    case 'echo':
      return { kind: 'echo' };
  }
}

/** `openai:gpt-4o-mini`, `command:python`, `echo`, or the user's label. */
export function modelLabel(spec: ModelSpec): string {
  if (spec.label) return spec.label;
  switch (spec.provider) {
    case 'openai':
    case 'anthropic':
      return `${spec.provider}:${spec.model}`;
    case 'command':
      return `command:${path.basename(spec.command)}`;
    case 'echo':
      return 'echo';
  }
}

export function modelName(spec: ModelSpec): string {
  return spec.provider === 'openai' || spec.provider === 'anthropic' ? spec.model : modelLabel(spec);
}

/** Sampling params: the prompt file's defaults, overridden by the suite's model entry. */
export function mergeParams(fromPrompt: SamplingParams | undefined, fromSuite: SamplingParams | undefined): SamplingParams {
  const out: SamplingParams = { ...(fromPrompt ?? {}) };
  for (const [k, v] of Object.entries(fromSuite ?? {})) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
