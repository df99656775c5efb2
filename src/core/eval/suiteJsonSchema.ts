// JSON Schema of `*.eval.yaml` for editor completion (the YAML extension reads
// media/schemas/eval-suite.schema.json). Generated from the zod schema; a unit test keeps the
// checked-in file in sync (run it with UPDATE_SCHEMAS=1 to rewrite the file).
import { z } from 'zod';
import { suiteSchema } from './suiteSchema';

export const EVAL_SUITE_SCHEMA_ID = 'https://prompt-ledger.invalid/schemas/eval-suite.schema.json';

export function evalSuiteJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(suiteSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: EVAL_SUITE_SCHEMA_ID, title: 'Prompt Ledger eval suite', description: 'A *.eval.yaml file: prompt, dataset, models, scorers and thresholds.' };
}

export function evalSuiteJsonSchemaText(): string {
  return `${JSON.stringify(evalSuiteJsonSchema(), null, 2)}\n`;
}
