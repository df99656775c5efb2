// Messages between the extension host and the compare panel webview. Both sides validate every
// incoming message with these schemas (parseMessage in messaging.ts).
//
// webview → host: ready; loadCases {id, offset, limit} → {offset, total, rows};
//   loadCaseDetail {id, key} → {key, inputs, expected, cells} (the whole texts); setBaseline {id, runId} (host answers
//   and then sends `update`); loadCaseTrace {id, key, runIndex} → {key, runIndex, traceId, state,
//   spans, mlflowUrl} (the case's trace in that run; mlflowUrl on a server); openRun {runId};
//   openLink {url}.
// host → webview: init {model, totalCases} (model.cases holds only the first page), update (same),
//   error {message}, reply {replyTo, ok, result|error}.
import * as z from 'zod/mini';
import type { ComparisonModel } from '../core/compare/comparisonModel';
import { idField, openLinkSchema, readySchema, replyEnvelopeSchema, type RequestType, type SameType } from './messaging';
import { spanNodeSchema } from './spanTreeProtocol';

/** Characters of each output sent in case pages; the full text comes with loadCaseDetail. */
export const OUTPUT_PREVIEW_CHARS = 2000;
/** Case rows in `init` (first paint) and the largest page a loadCases request may ask for. */
export const FIRST_PAGE_ROWS = 200;
export const MAX_PAGE_ROWS = 2000;

const num = z.number();
const nnum = z.nullable(z.number());
const scoreValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const caseCellSchema = z.object({
  output: z.string(),
  outputLength: z.int().check(z.nonnegative()),
  scores: z.record(z.string(), scoreValue),
  pass: z.nullable(z.boolean()),
  latencyMs: nnum,
  costUsd: nnum,
  error: z.nullable(z.string()),
});

export const caseRowSchema = z.object({
  key: z.string(),
  caseId: z.nullable(z.string()),
  inputs: z.string(),
  expected: z.string(),
  cells: z.array(z.nullable(caseCellSchema)),
  changed: z.boolean(),
  failing: z.boolean(),
});

const diffLineSchema = z.object({
  op: z.enum(['equal', 'delete', 'insert']),
  text: z.string(),
  oldLine: z.optional(z.int()),
  newLine: z.optional(z.int()),
});

export const comparisonModelSchema = z.object({
  runs: z.array(z.object({ runId: z.string(), runName: z.string(), experimentId: z.string(), status: z.string(), startTime: num, isBaseline: z.boolean() })).check(z.minLength(1)),
  baselineIndex: z.int().check(z.nonnegative()),
  params: z.array(z.object({ key: z.string(), values: z.array(z.nullable(z.string())), differs: z.boolean() })),
  metrics: z.array(z.object({
    key: z.string(),
    direction: z.enum(['higher', 'lower', 'neutral']),
    values: z.array(nnum),
    deltas: z.array(nnum),
    relDeltas: z.array(nnum),
    vsBaseline: z.array(z.nullable(z.enum(['better', 'worse', 'same']))),
    best: z.array(z.int()),
  })),
  prompts: z.array(z.nullable(z.string())),
  promptDiffs: z.array(z.object({ runIndex: z.int(), missing: z.boolean(), identical: z.boolean(), lines: z.array(diffLineSchema) })),
  scorerNames: z.array(z.string()),
  cases: z.array(caseRowSchema),
  significance: z.array(z.object({
    runIndex: z.int(),
    pairedCases: z.int(),
    unpairedCases: z.int(),
    repeats: z.tuple([z.int(), z.int()]),
    rows: z.array(z.object({
      metric: z.string(), baseline: num, candidate: num, delta: num, low: num, high: num,
      verdict: z.enum(['better', 'worse', 'changed', 'within noise']), n: z.int(), mcnemarP: nnum,
    })),
  })),
  significanceMethod: z.object({ name: z.literal('paired bootstrap'), resamples: z.int(), seed: z.int(), confidence: num }),
  charts: z.object({
    latency: z.nullable(z.object({ edges: z.array(num), counts: z.array(z.array(num)) })),
    scatter: z.object({ costMetric: z.string(), qualityMetric: z.string(), points: z.array(z.object({ runIndex: z.int(), cost: nnum, quality: nnum })) }),
  }),
});

export type CaseCellWire = z.infer<typeof caseCellSchema>;
export type CaseRowWire = z.infer<typeof caseRowSchema>;
export type ComparisonModelWire = z.infer<typeof comparisonModelSchema>;

// Compile-time guard: the core model and the wire schema must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const compareModelMatchesCore: Same<ComparisonModelWire, ComparisonModel> = true;

export const loadCasesResultSchema = z.object({ offset: z.int(), total: z.int(), rows: z.array(caseRowSchema) });
export const loadCaseDetailResultSchema = z.object({ key: z.string(), inputs: z.string(), expected: z.string(), cells: z.array(z.nullable(caseCellSchema)) });
export const setBaselineResultSchema = z.object({ baselineIndex: z.int() });
export const loadCaseTraceResultSchema = z.object({
  key: z.string(), runIndex: z.int(), traceId: z.string(), state: z.string(), spans: z.array(spanNodeSchema), mlflowUrl: z.nullable(z.string()),
});
export type LoadCaseTraceResult = z.infer<typeof loadCaseTraceResultSchema>;
export type LoadCasesResult = z.infer<typeof loadCasesResultSchema>;
export type LoadCaseDetailResult = z.infer<typeof loadCaseDetailResultSchema>;

export const compareToHostSchema = z.discriminatedUnion('type', [
  readySchema,
  z.object({ type: z.literal('loadCases'), id: idField, offset: z.int().check(z.nonnegative()), limit: z.int().check(z.positive(), z.maximum(MAX_PAGE_ROWS)) }),
  z.object({ type: z.literal('loadCaseDetail'), id: idField, key: z.string().check(z.maxLength(1000)) }),
  z.object({ type: z.literal('loadCaseTrace'), id: idField, key: z.string().check(z.maxLength(1000)), runIndex: z.int().check(z.nonnegative(), z.maximum(1000)) }),
  z.object({ type: z.literal('setBaseline'), id: idField, runId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  z.object({ type: z.literal('openRun'), runId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  openLinkSchema,
]);
export type CompareToHost = z.infer<typeof compareToHostSchema>;

export const compareToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), model: comparisonModelSchema, totalCases: z.int().check(z.nonnegative()) }),
  z.object({ type: z.literal('update'), model: comparisonModelSchema, totalCases: z.int().check(z.nonnegative()) }),
  z.object({ type: z.literal('error'), message: z.string() }),
  replyEnvelopeSchema,
]);
export type CompareToWebview = z.infer<typeof compareToWebviewSchema>;

/** Each request's reply result, by request type (see RequestOf in messaging.ts). */
export interface CompareResults {
  loadCases: LoadCasesResult;
  loadCaseDetail: LoadCaseDetailResult;
  loadCaseTrace: LoadCaseTraceResult;
  setBaseline: z.infer<typeof setBaselineResultSchema>;
}
export const compareResultsCoverRequests: SameType<keyof CompareResults, RequestType<CompareToHost>> = true;
