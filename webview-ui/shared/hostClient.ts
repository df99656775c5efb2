// Webview side of a panel protocol: validates every host message, routes replies to pending
// requests and notifications to the panel.
import type * as z from 'zod/mini';
import { RequestTracker, parseMessage } from '../../src/protocol/messaging';
import type { VsCodeApi } from './vscodeApi';

export class HostClient<In extends { type: string }> {
  readonly tracker: RequestTracker;

  constructor(
    private readonly api: VsCodeApi<unknown>,
    private readonly schema: z.ZodMiniType<In>,
    private readonly onNotification: (msg: In) => void,
    private readonly onRejected: (error: string) => void,
  ) {
    this.tracker = new RequestTracker((m) => api.postMessage(m), { prefix: 'w', timeoutMs: 60_000 });
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  post(msg: { type: string } & Record<string, unknown>): void { this.api.postMessage(msg); }

  request<R>(msg: { type: string } & Record<string, unknown>, resultSchema: z.ZodMiniType<R>): Promise<R> {
    return this.tracker.request(msg, resultSchema);
  }

  private receive(raw: unknown): void {
    const parsed = parseMessage(this.schema, raw, 'webview');
    if (!parsed.ok) { this.onRejected(parsed.error); return; }
    if (this.tracker.handle(parsed.msg)) return;
    this.onNotification(parsed.msg);
  }
}
