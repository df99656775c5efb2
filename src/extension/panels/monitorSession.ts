// Host-side logic of the Monitor panel, free of VS Code so tests drive it directly: the summary
// on ready, one server-side page of traces per request, one trace's span tree on demand.
import { planMonitor, summarizeMonitor, monitorTracePage, monitorHttp, type MonitorTarget } from '../../core/monitor/promptMonitor';
import { traceRow } from '../../core/monitor/traceRows';
import { getTrace } from '../../core/monitor/traceSearch';
import { spanTree } from '../../core/monitor/traceSpans';
import type { TrackingStore } from '../../core/tracking/types';
import { replyTo } from '../../protocol/messaging';
import { monitorToHostSchema, type MonitorResults, type MonitorState, type MonitorToHost, type MonitorToWebview } from '../../protocol/monitorProtocol';
import { handleWebviewMessage } from './webviewRequests';

export const MONITOR_PAGE_SIZE = 50;
const reply = replyTo<MonitorResults>();

export interface MonitorSessionDeps {
  store: TrackingStore;
  post(msg: MonitorToWebview): void;
  log(message: string): void;
}

export class MonitorSession {
  private target: Promise<MonitorTarget> | undefined;
  private state: MonitorState | undefined;

  constructor(private readonly ref: string, private readonly deps: MonitorSessionDeps) {}

  handle(raw: unknown): Promise<void> {
    return handleWebviewMessage(monitorToHostSchema, raw, 'monitor panel host', this.deps, (msg) => this.answer(msg));
  }

  private plan(): Promise<MonitorTarget> {
    this.target ??= planMonitor(this.deps.store, this.ref);
    return this.target;
  }

  private async answer(msg: MonitorToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        if (!this.state) {
          const target = await this.plan();
          const r = await summarizeMonitor(this.deps.store, target);
          this.state = { name: target.name, version: target.version, label: this.ref, serverUrl: this.deps.store.location, summary: r.summary, scanned: r.scanned, truncated: r.truncated };
        }
        this.deps.post({ type: 'init', state: this.state });
        return;
      }
      case 'page': {
        const page = await monitorTracePage(this.deps.store, await this.plan(), { pageSize: MONITOR_PAGE_SIZE, pageToken: msg.pageToken });
        this.deps.post(reply.ok(msg, { rows: page.items.map(traceRow), nextPageToken: page.nextPageToken }));
        return;
      }
      case 'openTrace': {
        const { spans } = await getTrace(monitorHttp(this.deps.store), msg.traceId);
        this.deps.post(reply.ok(msg, { traceId: msg.traceId, spans: spanTree(spans) }));
        return;
      }
    }
  }
}
