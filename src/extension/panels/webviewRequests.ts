// How a panel session takes one message from its webview, the same for every panel: validate it
// (a rejected message is only logged, never answered), run the panel's handler, and turn what the
// handler throws into an error reply to that request (or an 'error' message when it was none).
import type { ZodMiniType } from 'zod/mini';
import { errorReply, parseMessage, type Reply } from '../../protocol/messaging';

export interface WebviewOutlet {
  post(msg: Reply | { type: 'error'; message: string }): void;
  /** Rejected messages and handler failures (the panel logs them to its output channel). */
  log(message: string): void;
}

export async function handleWebviewMessage<In extends { type: string }>(
  schema: ZodMiniType<In>,
  raw: unknown,
  side: string,
  out: WebviewOutlet,
  handler: (msg: In) => Promise<void>,
): Promise<void> {
  const parsed = parseMessage(schema, raw, side);
  if (!parsed.ok) { out.log(parsed.error); return; }
  const msg = parsed.msg;
  try {
    await handler(msg);
  } catch (e) {
    const message = (e as Error).message;
    out.log(message);
    if ('id' in msg) out.post(errorReply(msg.id as string, message));
    else out.post({ type: 'error', message });
  }
}
