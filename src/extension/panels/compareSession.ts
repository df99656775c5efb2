// Host-side logic of the compare panel, free of VS Code so tests drive it directly (and the
// Chromium panel tests wire it to the real webview bundle). comparePanel.ts adds the VS Code glue.
import type { CaseCell, CaseRow, ComparisonModel } from '../../core/compare/comparisonModel';
import { repeatOfCaseKey, type CaseTraceRef, type FoundCaseTrace } from '../../core/compare/caseTraceLookup';
import { FIRST_PAGE_ROWS, OUTPUT_PREVIEW_CHARS, compareToHostSchema, type CompareResults, type CompareToHost, type CompareToWebview } from '../../protocol/compareProtocol';
import { replyTo } from '../../protocol/messaging';
import { handleWebviewMessage } from './webviewRequests';

export interface CompareSessionDeps {
  /** Builds the model; called again with a new baseline on setBaseline. */
  load(baselineRunId?: string): Promise<ComparisonModel>;
  post(msg: CompareToWebview): void;
  openRun(runId: string): void;
  openLink(url: string): void;
  /** Finds a case's trace in a run (caseTraceLookup.findCaseTrace on the panel's store); absent: no traces. */
  loadTrace?(ref: CaseTraceRef): Promise<FoundCaseTrace | undefined>;
  /** The trace's page in MLflow's UI, on a server (linkPolicy.mlflowTraceUrl); absent: the embedded store. */
  traceUrl?(experimentId: string, traceId: string): string;
  /** Rejected messages and load failures (the panel logs them to its output channel). */
  log(message: string): void;
}

const reply = replyTo<CompareResults>();

export class CompareSession {
  private model: ComparisonModel | undefined;
  private baselineRunId: string | undefined;

  constructor(private readonly deps: CompareSessionDeps, baselineRunId?: string) {
    this.baselineRunId = baselineRunId;
  }

  handle(raw: unknown): Promise<void> {
    return handleWebviewMessage(compareToHostSchema, raw, 'compare panel host', this.deps, (msg) => this.answer(msg));
  }

  private async answer(msg: CompareToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        // A restored webview already shows the model; send it only if this host has none cached.
        if (msg.restored && this.model) return;
        await this.send('init');
        return;
      case 'loadCases': {
        const model = await this.current();
        const rows = model.cases.slice(msg.offset, msg.offset + msg.limit).map(previewRow);
        this.deps.post(reply.ok(msg, { offset: msg.offset, total: model.cases.length, rows }));
        return;
      }
      case 'loadCaseDetail': {
        const row = (await this.current()).cases.find((c) => c.key === msg.key);
        if (!row) { this.deps.post(reply.error(msg, `No case '${msg.key}' in this comparison`)); return; }
        this.deps.post(reply.ok(msg, { key: row.key, inputs: row.inputs, expected: row.expected, cells: row.cells }));
        return;
      }
      case 'loadCaseTrace': {
        const model = await this.current();
        const row = model.cases.find((c) => c.key === msg.key);
        const run = model.runs[msg.runIndex];
        const fail = (why: string) => this.deps.post(reply.error(msg, why));
        if (!row || !run) return fail(`No case '${msg.key}' in run column ${msg.runIndex} of this comparison`);
        if (!row.cells[msg.runIndex]) return fail(`Case ${row.caseId ?? row.key} is not in run ${run.runName}`);
        if (row.caseId === null) return fail(`Case ${row.key} has no case id in run ${run.runName}'s table, so its trace cannot be found`);
        if (!this.deps.loadTrace) return fail('Traces are not available for this comparison');
        const found = await this.deps.loadTrace({ experimentId: run.experimentId, runId: run.runId, caseId: row.caseId, repeat: repeatOfCaseKey(row.key) });
        if (!found) return fail(`Run ${run.runName} has no trace for case ${row.caseId} (runs recorded before case traces have none)`);
        this.deps.post(reply.ok(msg, {
          key: row.key, runIndex: msg.runIndex, traceId: found.traceId, state: found.state, spans: found.spans,
          mlflowUrl: this.deps.traceUrl?.(found.experimentId, found.traceId) ?? null,
        }));
        return;
      }
      case 'setBaseline': {
        const model = await this.current();
        const idx = model.runs.findIndex((r) => r.runId === msg.runId);
        if (idx < 0) { this.deps.post(reply.error(msg, `Run ${msg.runId} is not part of this comparison`)); return; }
        this.baselineRunId = msg.runId;
        this.model = undefined;
        this.deps.post(reply.ok(msg, { baselineIndex: idx }));
        await this.send('update');
        return;
      }
      case 'openRun': this.deps.openRun(msg.runId); return;
      case 'openLink': this.deps.openLink(msg.url); return;
    }
  }

  private async current(): Promise<ComparisonModel> {
    this.model ??= await this.deps.load(this.baselineRunId);
    return this.model;
  }

  private async send(type: 'init' | 'update'): Promise<void> {
    const model = await this.current();
    this.deps.post({ type, model: firstPage(model), totalCases: model.cases.length });
  }
}

/** The model with only the first page of cases (previews), so the first paint is quick. */
export function firstPage(model: ComparisonModel): ComparisonModel {
  return { ...model, cases: model.cases.slice(0, FIRST_PAGE_ROWS).map(previewRow) };
}

export function previewRow(row: CaseRow): CaseRow {
  return { ...row, inputs: clip(row.inputs), expected: clip(row.expected), cells: row.cells.map((c) => (c ? previewCell(c) : null)) };
}

function previewCell(c: CaseCell): CaseCell {
  return c.output.length <= OUTPUT_PREVIEW_CHARS && (c.error?.length ?? 0) <= OUTPUT_PREVIEW_CHARS
    ? c
    : { ...c, output: c.output.slice(0, OUTPUT_PREVIEW_CHARS), error: c.error === null ? null : c.error.slice(0, OUTPUT_PREVIEW_CHARS) };
}

function clip(s: string): string { return s.length <= OUTPUT_PREVIEW_CHARS ? s : s.slice(0, OUTPUT_PREVIEW_CHARS) + '…'; }
