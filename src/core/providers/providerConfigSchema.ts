// zod schema of ProviderConfig, for whoever reads provider settings from YAML/JSON (eval suites,
// settings, CLI flags). Unknown keys are rejected so a typo ("base_url") is reported, not ignored.
import { z } from 'zod';
import type { ProviderConfig } from './types';

const headers = z.record(z.string(), z.string());

export const providerConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('openai'),
    model: z.string().min(1),
    baseUrl: z.url().optional(),
    apiKeyEnv: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    headers: headers.optional(),
    azureApiVersion: z.string().min(1).optional(),
    deployment: z.string().min(1).optional(),
    noAuth: z.boolean().optional(),
    rpm: z.number().positive().optional(),
    tpm: z.number().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('anthropic'),
    model: z.string().min(1),
    baseUrl: z.url().optional(),
    apiKeyEnv: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    anthropicVersion: z.string().min(1).optional(),
    headers: headers.optional(),
    rpm: z.number().positive().optional(),
    tpm: z.number().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('command'),
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    input: z.enum(['stdin', 'arg']).default('stdin'),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ kind: z.literal('echo') }),
]);

// Compile-time check that the schema and the hand-written type agree.
type Parsed = z.output<typeof providerConfigSchema>;
const _schemaMatchesType: (p: Parsed) => ProviderConfig = (p) => p;
void _schemaMatchesType;
