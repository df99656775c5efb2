// One limit on model calls in flight across all of a sweep's trials. Each trial is a runSuite with
// its own worker pool; running two trials at once (so one's last wave overlaps the next one's
// first) would otherwise double the calls the suite's `concurrency` allows. A FIFO semaphore
// wrapped around every provider the trials build keeps the total at the limit. A freed slot goes
// to the earliest trial waiting (then first come, first served): the oldest trial finishes first
// and the next one's calls fill the slots its last wave leaves, instead of all trials advancing
// in lock-step and then all recording at once while no call is in flight.
import { cancelledError } from '../../providers/retry';
import type { ModelProvider } from '../../providers/types';

export class CallGate {
  private active = 0;
  private readonly waiting: { priority: number; grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  private async acquire(signal: AbortSignal, priority: number): Promise<void> {
    if (signal.aborted) throw cancelledError();
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const entry = { priority, grant };
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(cancelledError());
      };
      this.waiting.push(entry);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    let at = -1;
    for (let i = 0; i < this.waiting.length; i++) if (at < 0 || this.waiting[i].priority < this.waiting[at].priority) at = i;
    // The slot passes straight to the next waiter, so `active` stays counted.
    if (at >= 0) this.waiting.splice(at, 1)[0].grant();
    else this.active--;
  }

  /** `priority`: lower goes first (the trial number). */
  wrap(inner: ModelProvider, priority = 0): ModelProvider {
    return {
      ...inner,
      complete: async (req, signal) => {
        await this.acquire(signal, priority);
        try {
          return await inner.complete(req, signal);
        } finally {
          this.release();
        }
      },
    };
  }
}
