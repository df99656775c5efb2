// Webview side of a panel protocol: validates every host message, routes replies to pending
// requests and notifications to the panel. Typed both ways at compile time: `ToHost` is the
// protocol's webview → host union, and `Results` its table of each request's reply result, so
// request() takes only that protocol's requests and its schema must be the one for that reply.
import type * as z from 'zod/mini';
import { RequestTracker, parseMessage, type NotificationOf, type RequestBody, type RequestType } from '../../src/protocol/messaging';
import type { VsCodeApi } from './vscodeApi';

/** Before a panel names its protocol: any message, and the result type its schema says. */
type Untyped = { type: string } & Record<string, unknown>;
type Typed<ToHost> = [ToHost] extends [never] ? false : true;

type RequestFn<ToHost, Results> = Typed<ToHost> extends false
  ? <R>(msg: Untyped, resultSchema: z.ZodMiniType<R>) => Promise<R>
  : <T extends RequestType<ToHost> & keyof Results & string>(msg: RequestBody<ToHost, T> & { type: T }, resultSchema: z.ZodMiniType<Results[T]>) => Promise<Results[T]>;
type PostFn<ToHost> = Typed<ToHost> extends false ? (msg: Untyped) => void : (msg: NotificationOf<ToHost>) => void;

export class HostClient<In extends { type: string }, ToHost extends { type: string } = never, Results = never> {
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

  /** A message that gets no reply (ready, openRun…). */
  readonly post: PostFn<ToHost> = ((msg: Untyped) => this.api.postMessage(msg)) as PostFn<ToHost>;

  /** A request; resolves with its reply's result, validated by `resultSchema`. */
  readonly request: RequestFn<ToHost, Results> = (<R>(msg: Untyped, resultSchema: z.ZodMiniType<R>) => this.tracker.request(msg, resultSchema)) as RequestFn<ToHost, Results>;

  private receive(raw: unknown): void {
    const parsed = parseMessage(this.schema, raw, 'webview');
    if (!parsed.ok) { this.onRejected(parsed.error); return; }
    if (this.tracker.handle(parsed.msg)) return;
    this.onNotification(parsed.msg);
  }
}
