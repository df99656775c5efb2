// Case traces kept without a write per case: an eval run's case journal already holds every
// finished row durably, with the time it was recorded (eval/caseJournal.ts). A store that keeps
// the journal with the run (the embedded store) therefore stores only the run's trace context
// once (the CaseTraceRun and the prompt) and builds each case's trace from its journal record
// when it is read: the same trace, ids included, that an MLflow server is sent (caseTrace.ts).
import type { ChatMessage } from '../../providers/types';
import type { ParsedPrompt } from '../../prompts/promptTypes';
import { renderCase } from '../../prompts/render';
import type { CaseRow } from '../../eval/caseRow';
import { forEachLatestCase, readJournalHeader } from '../../eval/journalScan';
import { buildCaseTrace, type CaseTrace } from './caseTrace';
import type { CaseTraceRun } from './caseTraceInput';
import { caseTiming } from './spans';
import { mlflowTraceId, otelTraceId } from './traceIds';

/** What a run's journal lacks to make its traces (traces/journal.json in the embedded store). */
export interface JournalTraceContext {
  v: 1;
  run: CaseTraceRun;
  /** The run's prompt, rendered again per case for the model span's messages. */
  prompt: ParsedPrompt;
}

/** A stored trace not built yet: what sorting and paging need, and how to build the rest. */
export interface LazyCaseTrace {
  traceId: string;
  startMs: number;
  build(): CaseTrace;
}

/**
 * The messages a case sent to the model, rendered as the executor renders them (renderCase);
 * none when rendering failed.
 */
export function caseTraceMessages(prompt: ParsedPrompt, row: CaseRow): ChatMessage[] | undefined {
  if (row.error?.kind === 'render') return undefined;
  try {
    return renderCase(prompt, row.vars).messages;
  } catch {
    return undefined;
  }
}

/**
 * The latest record of every row of the journal as a trace to build. A record without its time
 * (a journal older than `at`) ends when the journal was created.
 */
export function journalCaseTraces(ctx: JournalTraceContext, journalFile: string): LazyCaseTrace[] {
  const header = readJournalHeader(journalFile);
  if (!header) return [];
  const out: LazyCaseTrace[] = [];
  forEachLatestCase(journalFile, header.total, ({ row, at }) => {
    const endTime = at ?? header.createdAt;
    out.push({
      traceId: mlflowTraceId(otelTraceId(ctx.run.runId, row.caseId, row.caseIndex, row.repeat)),
      startMs: caseTiming({ row, endTime }).startMs,
      build: () => buildCaseTrace(ctx.run, { row, endTime, messages: caseTraceMessages(ctx.prompt, row) }),
    });
  });
  return out;
}
