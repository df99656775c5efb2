// Watch mode's scheduling: saves arrive in bursts, so a pass starts only after `debounceMs` of
// quiet; a save during a pass cancels it (its signal aborts) and a fresh pass follows. What a pass
// re-sends is decided by the response cache: unchanged rendered requests are cache hits, so only
// the cases whose rendered request changed reach the model; the others are re-scored from the
// cached answer.
export class WatchLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: { abort: AbortController; done: Promise<void> } | undefined;
  private disposed = false;

  constructor(private readonly pass: (signal: AbortSignal) => Promise<void>, private readonly debounceMs = 300) {}

  /** A relevant file changed: (re)start the countdown, cancelling a pass in flight. */
  trigger(): void {
    if (this.disposed) return;
    this.current?.abort.abort(new Error('superseded by a newer save'));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.start(); }, this.debounceMs);
  }

  /** Resolves when no pass is scheduled or running. */
  async idle(): Promise<void> {
    while (this.timer || this.current) {
      if (this.current) await this.current.done;
      else await new Promise((r) => setTimeout(r, this.debounceMs));
    }
  }

  private async start(): Promise<void> {
    if (this.current) await this.current.done;
    if (this.disposed || this.timer) return;
    const abort = new AbortController();
    const done = this.pass(abort.signal).catch(() => undefined).finally(() => { if (this.current?.abort === abort) this.current = undefined; });
    this.current = { abort, done };
    await done;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.current?.abort.abort(new Error('watch mode stopped'));
  }
}
