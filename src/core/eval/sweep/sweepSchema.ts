// The `sweep:` section of a suite: which parameters to vary, how to search them, and what "best"
// means. Part of suiteSchema (so the JSON Schema and the Problems panel know it); what each
// parameter means for the suite's model is decided in searchSpace.ts.
import { z } from 'zod';

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/** How a command provider's own parameter reaches the program (model parameters need neither). */
const delivery = {
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional()
    .describe('command provider: the environment variable that carries the value (default: the parameter name in upper case, e.g. k → K)'),
  arg: z.string().min(1).optional()
    .describe('command provider: pass the value as arguments `<arg> <value>` after the suite\'s args (e.g. `--k`) instead of an environment variable'),
};

const valuesParam = z.object({
  values: z.array(scalar).min(1).describe('The values to try, in order'),
  ...delivery,
}).strict();

const rangeParam = z.object({
  min: z.number(),
  max: z.number(),
  step: z.number().positive().optional().describe('Grid spacing; without it a grid uses 5 points and random/tpe draw any value in the range'),
  log: z.boolean().optional().describe('Spread points and draws evenly in log scale (min > 0)'),
  int: z.boolean().optional().describe('Whole numbers only'),
  ...delivery,
}).strict();

export const sweepParameterSchema = z.union([
  z.array(scalar).min(1).describe('The values to try'),
  valuesParam,
  rangeParam,
]).meta({ id: 'sweepParameter' });
export type SweepParameterSpec = z.infer<typeof sweepParameterSchema>;

const metricName = z.string().min(1).describe('A run metric, e.g. pass_rate, contains/mean, cost_usd/total, latency_ms/p95');

export const constraintSchema = z.union([
  z.string().regex(/^\s*[A-Za-z0-9_.\-/ ]+?\s*(<=|>=|<|>)\s*-?[0-9.eE+-]+\s*$/, 'a constraint reads `metric <= number` (or >=, <, >)')
    .describe('`cost_usd/total <= 0.05`, `latency_ms/p95 < 2000`'),
  z.object({ metric: metricName, max: z.number().optional(), min: z.number().optional() }).strict(),
]);
export type ConstraintSpec = z.infer<typeof constraintSchema>;

export const SWEEP_METHODS = ['grid', 'random', 'tpe'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];

export const sweepSchema = z.object({
  method: z.enum(SWEEP_METHODS).optional().describe('grid: every combination; random: `trials` draws; tpe: a Tree-structured Parzen Estimator proposes each trial from the results so far (default grid)'),
  trials: z.number().int().min(1).max(10_000).optional().describe('How many trials (random/tpe: the budget, default 20; grid: at most this many combinations)'),
  seed: z.number().int().optional().describe('Seed of the random draws (random/tpe); the same seed proposes the same trials (default 0)'),
  parallel: z.number().int().min(1).max(64).optional().describe('Trials in flight at once; they share the suite\'s concurrency (default 2)'),
  startup_trials: z.number().int().min(1).optional().describe('tpe: random trials before the estimator takes over (default 5)'),
  model: z.string().optional().describe('Label of the suite model to sweep when the suite lists several (default: the first)'),
  parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _'), sweepParameterSchema)
    .refine((p) => Object.keys(p).length > 0, 'name at least one parameter')
    .describe('Model parameters (model, temperature, top_p, max_tokens, seed) or, for a command provider, the program\'s own parameters (e.g. k), each a list of values or a range'),
  objective: z.union([
    metricName,
    z.object({ metric: metricName, direction: z.enum(['maximize', 'minimize']).optional() }).strict(),
  ]).optional().describe('What "best" means (default pass_rate, maximized; the direction defaults from the metric name)'),
  constraints: z.array(constraintSchema).optional().describe('A trial counts only when every constraint holds, e.g. `cost_usd/total <= 0.05`'),
}).strict().describe('Parameter sweep (prompt-ledger sweep <suite>, Run Sweep)').meta({ id: 'sweep' });
export type SweepSpec = z.infer<typeof sweepSchema>;
