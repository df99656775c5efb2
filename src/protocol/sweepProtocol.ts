// Messages between the extension host and the sweep panel webview. Both sides validate every
// incoming message with these schemas (parseMessage in messaging.ts).
//
// webview → host: ready; openRun {runId}; compareWithBest {runId} (opens the compare panel on the
//   best trial and that one); copyYaml (the best model entry to the clipboard).
// host → webview: init {report, parentRunId, running} (the whole sweep), update (same; while a
//   sweep runs, after each trial), error {message} (a failed request).
import * as z from 'zod/mini';
import type { SweepReport } from '../core/eval/sweep/sweepReport';
import { idField, readySchema, replyEnvelopeSchema, type RequestType, type SameType } from './messaging';

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

export const sweepTrialSchema = z.object({
  number: z.int(),
  runId: z.optional(z.string()),
  params: z.record(z.string(), paramValue),
  status: z.string(),
  metrics: z.record(z.string(), z.number()),
  value: z.optional(z.number()),
  feasible: z.boolean(),
  violated: z.array(z.string()),
  error: z.optional(z.string()),
});

export const sweepReportSchema = z.object({
  version: z.int(),
  suite: z.string(),
  method: z.string(),
  seed: z.number(),
  objective: z.object({ metric: z.string(), direction: z.enum(['maximize', 'minimize']) }),
  constraints: z.array(z.string()),
  parameters: z.array(z.object({
    name: z.string(),
    values: z.optional(z.array(paramValue)),
    range: z.optional(z.object({ min: z.number(), max: z.number(), log: z.boolean() })),
  })),
  trials: z.array(sweepTrialSchema),
  best: z.optional(z.int()),
  costMetric: z.string(),
  pareto: z.array(z.int()),
  bestYaml: z.optional(z.string()),
});
export type SweepReportWire = z.infer<typeof sweepReportSchema>;
export type SweepTrialWire = z.infer<typeof sweepTrialSchema>;

// The wire schema must accept every report the core builds.
const _reportFits: SweepReportWire = {} as SweepReport;
void _reportFits;

const sweepStateSchema = { report: sweepReportSchema, parentRunId: idField, running: z.boolean() };

export const sweepToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), ...sweepStateSchema }),
  z.object({ type: z.literal('update'), ...sweepStateSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
  replyEnvelopeSchema,
]);
export type SweepToWebview = z.infer<typeof sweepToWebviewSchema>;

export const sweepToHostSchema = z.discriminatedUnion('type', [
  readySchema,
  z.object({ type: z.literal('openRun'), runId: idField }),
  z.object({ type: z.literal('compareWithBest'), runId: idField }),
  z.object({ type: z.literal('copyYaml') }),
]);
export type SweepToHost = z.infer<typeof sweepToHostSchema>;

/** Each request's reply result, by request type: the sweep panel only notifies, so none. */
export type SweepResults = Record<never, never>;
export const sweepResultsCoverRequests: SameType<keyof SweepResults, RequestType<SweepToHost>> = true;
