// The shape of a `*.eval.yaml` suite. One zod schema drives validation, the TypeScript types and
// the JSON Schema in media/schemas/eval-suite.schema.json (editor completion), so they cannot drift.
import { z } from 'zod';
import { sweepSchema } from './sweep/sweepSchema';

export const ASSERT_TYPES = [
  'equals', 'contains', 'icontains', 'contains-any', 'icontains-any', 'contains-all', 'icontains-all',
  'regex', 'starts-with', 'is-json', 'contains-json', 'numeric', 'levenshtein', 'rouge-n', 'rouge-l',
  'latency', 'cost', 'javascript', 'llm-rubric', 'pii', 'safety',
] as const;
export type BaseAssertType = (typeof ASSERT_TYPES)[number];

/** Types whose pass can be inverted with a `not-` prefix (promptfoo semantics). */
export const INVERTIBLE_TYPES: readonly BaseAssertType[] = [
  'equals', 'contains', 'icontains', 'contains-any', 'icontains-any', 'contains-all', 'icontains-all',
  'regex', 'starts-with', 'is-json', 'contains-json', 'numeric', 'rouge-n', 'rouge-l', 'javascript', 'llm-rubric',
];
const ALL_TYPES = [...ASSERT_TYPES, ...INVERTIBLE_TYPES.map((t) => `not-${t}` as const)] as [string, ...string[]];

const samplingParams = z.object({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  stop: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  response_format: z.unknown().optional(),
}).strict().describe('Sampling parameters sent to the model').meta({ id: 'samplingParams' });

const judgeModel = z.lazy(() => modelSchema);

export const assertSchema = z.object({
  type: z.enum(ALL_TYPES).describe('Scorer type; a `not-` prefix inverts pass'),
  value: z.unknown().optional().describe('Expected value, pattern, rubric, schema or inline JavaScript; defaults to the case `expected` where that makes sense. Strings may use {{var}} and {{expected}}'),
  threshold: z.number().optional().describe('Pass bar: minimum score (rouge, javascript, llm-rubric), maximum distance (levenshtein), maximum ms/USD (latency, cost)'),
  weight: z.number().min(0).optional().describe('Weight in the case score (default 1)'),
  metric: z.string().regex(/^[A-Za-z0-9_.\- /]+$/, 'letters, digits, _ - . / and spaces only').optional().describe('Metric name; logged as `<metric>/mean` (default: the type)'),
  path: z.string().optional().describe('javascript: module path (relative to the suite) exporting a function (output, context); `file.js:fnName` picks an export'),
  provider: judgeModel.optional().describe('llm-rubric: the judge model (default: the suite `judge`, else the first model)'),
  rubricPrompt: z.string().optional().describe('llm-rubric: custom grading prompt with {{output}} and {{rubric}}'),
  tolerance: z.number().min(0).optional().describe('numeric: absolute tolerance'),
  rel_tolerance: z.number().min(0).optional().describe('numeric: relative tolerance (fraction of the expected value)'),
  n: z.number().int().min(1).max(4).optional().describe('rouge-n: n-gram size (default 1)'),
  categories: z.array(z.string()).optional().describe('pii/safety: limit to these categories'),
}).strict().meta({ id: 'scorer' });
export type AssertSpec = z.infer<typeof assertSchema>;

/** An HTTP provider's rate limits: calls are paced to stay under them (src/core/providers/rateLimiter.ts). */
const rateLimitFields = {
  rpm: z.number().positive().optional().describe('Requests per minute the endpoint allows: calls are paced to stay under it, whatever the concurrency; a 429 also slows them down'),
  tpm: z.number().positive().optional().describe('Tokens (prompt + completion) per minute the endpoint allows; estimated before each call (~4 characters a token, plus max_tokens), settled with the usage reported'),
};

const providerBase = {
  label: z.string().optional().describe('Display name of this model in runs (default: provider:model)'),
  params: samplingParams.optional(),
};

export const modelSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('openai'),
    model: z.string().min(1),
    baseUrl: z.string().url().optional(),
    apiKeyEnv: z.string().optional().describe('Environment variable with the API key (default OPENAI_API_KEY); never put the key itself here'),
    azureApiVersion: z.string().optional(),
    deployment: z.string().optional(),
    noAuth: z.boolean().optional().describe('Local servers (Ollama, vLLM…) without a key'),
    ...rateLimitFields,
    ...providerBase,
  }).strict(),
  z.object({
    provider: z.literal('anthropic'),
    model: z.string().min(1),
    baseUrl: z.string().url().optional(),
    apiKeyEnv: z.string().optional().describe('Environment variable with the API key (default ANTHROPIC_API_KEY)'),
    anthropicVersion: z.string().optional(),
    ...rateLimitFields,
    ...providerBase,
  }).strict(),
  z.object({
    provider: z.literal('command'),
    command: z.string().min(1).describe('Program run once per case; the rendered prompt goes to stdin (or the last argument)'),
    args: z.array(z.string()).optional(),
    input: z.enum(['stdin', 'arg']).optional(),
    cwd: z.string().optional().describe('Working directory, relative to the suite file'),
    env: z.record(z.string(), z.string()).optional(),
    ...providerBase,
  }).strict(),
  z.object({
    provider: z.literal('echo'),
    ...providerBase,
  }).strict(),
]).meta({ id: 'model' });
export type ModelSpec = z.infer<typeof modelSchema>;

export const caseSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  vars: z.record(z.string(), z.unknown()).default({}),
  expected: z.unknown().optional(),
  assert: z.array(assertSchema).optional().describe('Extra scorers for this case only'),
  threshold: z.number().min(0).max(1).optional().describe('Case passes when its weighted score reaches this (overrides individual failures)'),
  description: z.string().optional(),
}).strict().meta({ id: 'case' });
export type CaseSpec = z.infer<typeof caseSchema>;

export const datasetSchema = z.union([
  z.string().describe('Path to a .jsonl or .csv file, relative to the suite'),
  z.object({
    path: z.string().describe('Path to a .jsonl or .csv file, relative to the suite'),
    limit: z.number().int().positive().optional().describe('Only the first N cases'),
  }).strict(),
  z.object({ cases: z.array(caseSchema).min(1) }).strict(),
]);
export type DatasetSpec = z.infer<typeof datasetSchema>;

/**
 * The most model calls a run makes at once (suite `concurrency`, `--concurrency`, the
 * `promptLedger.eval.concurrency` setting; a unit test keeps package.json's maximum equal).
 * Honoured exactly up to here: the CLI's HTTP client opens a socket per call in flight.
 */
export const MAX_CONCURRENCY = 1024;

const thresholdsSchema = z.object({
  pass_rate: z.number().min(0).max(1).optional().describe('Minimum fraction of passing cases'),
}).catchall(z.number()).describe('pass_rate and minimum per-metric means, e.g. `contains: 0.9` or `levenshtein/mean: 0.8`');

export const suiteSchema = z.object({
  $schema: z.string().optional(),
  description: z.string().optional(),
  prompt: z.union([z.string(), z.array(z.string()).min(1)]).describe('Prompt file(s), relative to the suite file'),
  dataset: datasetSchema,
  models: z.array(modelSchema).min(1).default([{ provider: 'echo' }]).describe('Models to evaluate; one run per model'),
  scorers: z.array(assertSchema).optional().describe('Scorers applied to every case'),
  assert: z.array(assertSchema).optional().describe('Alias of scorers (promptfoo spelling)'),
  judge: modelSchema.optional().describe('Default model for llm-rubric scorers'),
  thresholds: thresholdsSchema.optional(),
  repeat: z.number().int().min(1).max(100).optional().describe('Samples per case (pass@k, logged as pass_at_<k>, is computed when > 1)'),
  pass_at_k: z.array(z.number().int().min(1)).optional().describe('k values for pass@k, logged as pass_at_<k> (default [1, repeat])'),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional().describe(`Parallel model calls (default 4, at most ${MAX_CONCURRENCY})`),
  timeout_ms: z.number().int().positive().optional().describe('Per-request timeout (default 60000)'),
  budget: z.object({
    max_cost_usd: z.number().positive().describe('Stop before this run has spent more than this many USD (estimated per call from the price table); the run ends KILLED with reason `budget` and can be resumed'),
  }).strict().optional().describe('Spending limit of one invocation (--max-cost overrides it)'),
  experiment: z.string().min(1).optional().describe('MLflow experiment name (default: the suite file name)'),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Tags added to every run'),
  push_dataset: z.boolean().optional().describe('Also sync the dataset to an MLflow evaluation dataset of the experiment after the run (servers with a SQL backend; as --push-dataset)'),
  sweep: sweepSchema.optional(),
}).strict();
export type SuiteSpec = z.infer<typeof suiteSchema>;
