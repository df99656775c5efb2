// Request/response correlation shared by the extension host and the webviews (no vscode or DOM
// imports). Every message has a `type`; requests carry an `id`; the answer is a `reply` message
// with `replyTo` = that id and either `ok: true, result` or `ok: false, error`.
import * as z from 'zod/mini';

export const replySchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), replyTo: z.string().check(z.minLength(1)), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), replyTo: z.string().check(z.minLength(1)), ok: z.literal(false), error: z.string() }),
]);
export type Reply = z.infer<typeof replySchema>;
/** The same reply as one object, for use inside a protocol's discriminated union on `type`. */
export const replyEnvelopeSchema = z.object({ type: z.literal('reply'), replyTo: z.string().check(z.minLength(1)), ok: z.boolean(), result: z.optional(z.unknown()), error: z.optional(z.string()) });

export type ParseResult<T> = { ok: true; msg: T } | { ok: false; error: string };

/** Validates an incoming message; the error names the message type and the first bad field. */
export function parseMessage<T>(schema: z.ZodMiniType<T>, raw: unknown, side: string): ParseResult<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data };
  const type = raw && typeof raw === 'object' && 'type' in raw ? String((raw as { type: unknown }).type) : '(no type)';
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { ok: false, error: `${side}: rejected message '${type}': ${where}: ${issue?.message ?? 'invalid'}` };
}

export function okReply(replyTo: string, result: unknown): Reply { return { type: 'reply', replyTo, ok: true, result }; }
export function errorReply(replyTo: string, error: string): Reply { return { type: 'reply', replyTo, ok: false, error }; }

export class RequestError extends Error {
  constructor(message: string) { super(message); this.name = 'RequestError'; }
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void; schema: z.ZodMiniType<unknown>; timer: ReturnType<typeof setTimeout> | undefined }

/**
 * Sends requests and matches replies by id. The caller passes the schema of the expected result,
 * so a reply is validated on arrival exactly like any other message.
 */
export class RequestTracker {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  constructor(
    private readonly post: (msg: unknown) => void,
    private readonly opts: { timeoutMs?: number; prefix?: string } = {},
  ) {}

  request<R>(msg: { type: string } & Record<string, unknown>, resultSchema: z.ZodMiniType<R>): Promise<R> {
    const id = `${this.opts.prefix ?? 'r'}${++this.seq}`;
    return new Promise<R>((resolve, reject) => {
      const timeoutMs = this.opts.timeoutMs ?? 30_000;
      const timer = timeoutMs > 0 ? setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError(`No reply to '${msg.type}' within ${timeoutMs} ms`));
      }, timeoutMs) : undefined;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, schema: resultSchema as z.ZodMiniType<unknown>, timer });
      this.post({ ...msg, id });
    });
  }

  /** Returns true when `raw` was a reply (consumed), false for any other message. */
  handle(raw: unknown): boolean {
    if (!raw || typeof raw !== 'object' || (raw as { type?: unknown }).type !== 'reply') return false;
    const parsed = replySchema.safeParse(raw);
    if (!parsed.success) return true; // malformed reply: nothing to resolve, drop it
    const p = this.pending.get(parsed.data.replyTo);
    if (!p) return true;
    this.pending.delete(parsed.data.replyTo);
    if (p.timer) clearTimeout(p.timer);
    if (!parsed.data.ok) { p.reject(new RequestError(parsed.data.error)); return true; }
    const result = p.schema.safeParse(parsed.data.result);
    if (result.success) p.resolve(result.data);
    else p.reject(new RequestError(`Malformed reply: ${result.error.issues[0]?.path.join('.') || 'result'}: ${result.error.issues[0]?.message}`));
    return true;
  }

  get pendingCount(): number { return this.pending.size; }

  dispose(): void {
    for (const [, p] of this.pending) { if (p.timer) clearTimeout(p.timer); p.reject(new RequestError('Panel closed')); }
    this.pending.clear();
  }
}

/** Shared message pieces. */
export const idField = z.string().check(z.minLength(1), z.maxLength(64));
/** A link the webview asks the host to open; the host checks scheme and origin again. */
export const openLinkSchema = z.object({ type: z.literal('openLink'), url: z.string().check(z.maxLength(2048)) });
/** First message from a webview; `restored` when it re-rendered from getState() and needs no init. */
export const readySchema = z.object({ type: z.literal('ready'), restored: z.optional(z.boolean()) });

// Compile-time links between a request and its reply. Each protocol names, per request type, the
// type of the result its reply carries (e.g. MonitorResults); the webview's HostClient.request and
// the host's replyTo check both ends against that one table.

/** A protocol's requests: the to-host messages that carry an `id`. */
export type RequestOf<ToHost> = Extract<ToHost, { id: string }>;
/** The `type` of each request of a protocol. */
export type RequestType<ToHost> = TypeOf<RequestOf<ToHost>>;
// Distributes over a union (and gives never for never, where a non-distributive infer gives unknown).
type TypeOf<M> = M extends { type: infer T } ? T : never;
/** What the webview hands to request(): one request without its id (the tracker adds it). */
export type RequestBody<ToHost, T> = Omit<Extract<RequestOf<ToHost>, { type: T }>, 'id'>;
/** Fire-and-forget messages of a protocol: those without an `id`. */
export type NotificationOf<ToHost> = Exclude<ToHost, { id: string }>;
/** True when A and B are the same type (a results table covers exactly the protocol's requests). */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/** Host side: replies typed by the results table, so a reply cannot carry another request's result. */
export function replyTo<Results>() {
  return {
    ok: <T extends keyof Results & string>(msg: { type: T; id: string }, result: Results[T]): Reply => okReply(msg.id, result),
    error: (msg: { id: string }, error: string): Reply => errorReply(msg.id, error),
  };
}
