import { z } from 'zod';

/**
 * Frontmatter schemas, used to *validate* (diagnostics) only; values are read leniently by
 * promptNormalize.ts so one bad field never hides the rest of the file.
 * Objects are loose here: unknown keys are reported separately with their own positions.
 */

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const stringList = z.array(z.string(), { error: 'expected a list of strings, e.g. [a, b]' });
const stringOrList = z.union([z.string(), z.array(z.string())], { error: 'expected a string or a list of strings' });
const num = z.number({ error: 'expected a number' });
const int = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' });

const v1Property = z.looseObject({
  type: z.string({ error: 'expected a type name such as string, number, boolean, array or object' }).optional(),
  description: z.string().optional(),
  default: z.unknown().optional(),
  sample: z.unknown().optional(),
});

const v1Properties = z.record(z.string(), z.union([v1Property, scalar, z.array(z.unknown())]), {
  error: 'expected a mapping of input name to {type, description, default, sample}',
});

export const promptyV1Schema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  version: z.union([z.string(), z.number()], { error: 'expected a version string such as "1.0"' }).optional(),
  authors: stringList.optional(),
  tags: stringList.optional(),
  model: z
    .looseObject({
      api: z.enum(['chat', 'completion'], { error: "expected 'chat' or 'completion'" }).optional(),
      configuration: z.looseObject({ type: z.string().optional() }).optional(),
      parameters: z
        .looseObject({
          temperature: num.optional(),
          top_p: num.optional(),
          max_tokens: int.optional(),
          seed: int.optional(),
          stop: stringOrList.optional(),
        })
        .optional(),
      response: z.enum(['first', 'all'], { error: "expected 'first' or 'all'" }).optional(),
    })
    .optional(),
  sample: z.union([z.record(z.string(), z.unknown()), z.string()], { error: 'expected a mapping of input values or a file name' }).optional(),
  inputs: v1Properties.optional(),
  outputs: v1Properties.optional(),
  template: z
    .union([z.string(), z.looseObject({ type: z.string().optional(), parser: z.string().optional() })], {
      error: "expected a template engine name such as 'jinja2' or {type, parser}",
    })
    .optional(),
});

/** Closed key sets of the v1 schema (Prompty.yaml has additionalProperties: false). */
export const PROMPTY_V1_KEYS = {
  root: ['name', 'description', 'version', 'authors', 'tags', 'model', 'sample', 'inputs', 'outputs', 'template', 'base'],
  model: ['api', 'configuration', 'parameters', 'response'],
  property: ['type', 'description', 'default', 'sample', 'json_schema'],
};

const V2_KINDS = ['string', 'integer', 'float', 'number', 'boolean', 'array', 'object', 'thread', 'image', 'file', 'audio'] as const;

const v2Property = z.looseObject({
  name: z.string().optional(),
  kind: z.enum(V2_KINDS, { error: `expected one of ${V2_KINDS.join(', ')}` }).optional(),
  description: z.string().optional(),
  required: z.boolean({ error: 'expected true or false' }).optional(),
  default: z.unknown().optional(),
  example: z.unknown().optional(),
  enumValues: z.array(z.unknown()).optional(),
});

const v2Properties = z.union(
  [
    z.array(z.union([v2Property.extend({ name: z.string({ error: 'each list entry needs a name' }) }), z.string()])),
    z.record(z.string(), z.union([v2Property, scalar, z.array(z.unknown())])),
  ],
  { error: 'expected a list of {name, kind, ...} or a mapping of name to {kind, ...}' },
);

export const promptyV2Schema = z.looseObject({
  name: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  metadata: z
    .looseObject({ authors: stringList.optional(), tags: stringList.optional(), version: z.union([z.string(), z.number()]).optional() })
    .optional(),
  model: z
    .union(
      [
        z.string(),
        z.looseObject({
          id: z.string().optional(),
          provider: z.string().optional(),
          apiType: z.enum(['chat', 'responses', 'embedding', 'image'], { error: "expected 'chat', 'responses', 'embedding' or 'image'" }).optional(),
          connection: z.looseObject({ kind: z.string().optional() }).optional(),
          options: z
            .looseObject({
              temperature: num.optional(),
              maxOutputTokens: int.optional(),
              topP: num.optional(),
              topK: int.optional(),
              frequencyPenalty: num.optional(),
              presencePenalty: num.optional(),
              seed: int.optional(),
              stopSequences: stringList.optional(),
            })
            .optional(),
        }),
      ],
      { error: 'expected a model id string or {id, provider, apiType, connection, options}' },
    )
    .optional(),
  inputs: v2Properties.optional(),
  outputs: v2Properties.optional(),
  tools: z.array(z.looseObject({ name: z.string({ error: 'each tool needs a name' }), kind: z.string().optional() })).optional(),
  template: z
    .union(
      [
        z.string(),
        z.looseObject({
          format: z.union([z.string(), z.looseObject({ kind: z.string().optional(), strict: z.boolean().optional() })]).optional(),
          parser: z.union([z.string(), z.looseObject({ kind: z.string().optional() })]).optional(),
        }),
      ],
      { error: "expected {format: {kind: jinja2}, parser: {kind: prompty}}" },
    )
    .optional(),
});

/** Template files (.md/.txt): frontmatter is open, only the keys we read are checked. */
export const templateFrontmatterSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  model: z
    .union(
      [
        z.string(),
        z.looseObject({
          id: z.string().optional(),
          name: z.string().optional(),
          provider: z.string().optional(),
          temperature: num.optional(),
          top_p: num.optional(),
          max_tokens: int.optional(),
          seed: int.optional(),
          stop: stringOrList.optional(),
        }),
      ],
      { error: 'expected a model id string or {id, provider, temperature, max_tokens, ...}' },
    )
    .optional(),
  inputs: v2Properties.optional(),
  tags: z.union([stringList, z.record(z.string(), scalar)], { error: 'expected a list of tags or a mapping of tag to value' }).optional(),
});

/** Keys that only v1 or only v2 use, to tell the versions apart. */
export const V1_ONLY_ROOT_KEYS = ['version', 'authors', 'tags', 'sample'];
export const V2_ONLY_ROOT_KEYS = ['displayName', 'metadata', 'tools'];
export const V1_ONLY_MODEL_KEYS = ['api', 'configuration', 'parameters', 'response'];
export const V2_ONLY_MODEL_KEYS = ['id', 'provider', 'apiType', 'connection', 'options'];
