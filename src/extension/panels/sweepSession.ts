// Host-side logic of the sweep panel, free of VS Code so tests drive it directly. sweepPanel.ts
// adds the VS Code glue. While a sweep runs, `push` sends each new report as an update.
import type { SweepReport } from '../../core/eval/sweep/sweepReport';
import { sweepToHostSchema, type SweepToHost, type SweepToWebview } from '../../protocol/sweepProtocol';
import { handleWebviewMessage } from './webviewRequests';

export interface SweepSessionDeps {
  /** Reads the sweep from the store (the report artifact, or rebuilt from its trials). */
  load(): Promise<SweepReport>;
  post(msg: SweepToWebview): void;
  openRun(runId: string): void;
  compareRuns(runIds: string[]): void;
  copy(text: string): void;
  log(message: string): void;
}

export class SweepSession {
  private report: SweepReport | undefined;
  private running: boolean;

  constructor(private readonly parentRunId: string, private readonly deps: SweepSessionDeps, opts: { running?: boolean } = {}) {
    this.running = !!opts.running;
  }

  handle(raw: unknown): Promise<void> {
    return handleWebviewMessage(sweepToHostSchema, raw, 'sweep panel host', this.deps, (msg) => this.answer(msg));
  }

  /** A newer report (a trial finished, or the sweep ended). */
  push(report: SweepReport, running: boolean): void {
    this.report = report;
    this.running = running;
    this.deps.post({ type: 'update', report, parentRunId: this.parentRunId, running });
  }

  private async answer(msg: SweepToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (msg.restored && this.report) return;
        this.deps.post({ type: 'init', report: await this.current(), parentRunId: this.parentRunId, running: this.running });
        return;
      case 'openRun': this.deps.openRun(msg.runId); return;
      case 'compareWithBest': {
        const report = await this.current();
        const best = report.trials.find((t) => t.number === report.best)?.runId;
        this.deps.compareRuns(best && best !== msg.runId ? [best, msg.runId] : [msg.runId]);
        return;
      }
      case 'copyYaml': {
        const yaml = (await this.current()).bestYaml;
        if (!yaml) throw new Error('This sweep has no best configuration yet.');
        this.deps.copy(yaml);
        return;
      }
    }
  }

  private async current(): Promise<SweepReport> {
    this.report ??= await this.deps.load();
    return this.report;
  }
}
