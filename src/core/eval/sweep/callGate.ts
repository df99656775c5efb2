// One limit on model calls in flight across all of a sweep's trials. Each trial is a runSuite with
// its own worker pool; running two trials at once (so one's last wave overlaps the next one's
// first) would otherwise double the calls the suite's `concurrency` allows. A FIFO semaphore
// wrapped around every provider the trials build keeps the total at the limit.
import { cancelledError } from '../../providers/retry';
import type { ModelProvider } from '../../providers/types';

export class CallGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  private async acquire(signal: AbortSignal): Promise<void> {
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
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(cancelledError());
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays counted.
    if (next) next();
    else this.active--;
  }

  wrap(inner: ModelProvider): ModelProvider {
    return {
      ...inner,
      complete: async (req, signal) => {
        await this.acquire(signal);
        try {
          return await inner.complete(req, signal);
        } finally {
          this.release();
        }
      },
    };
  }
}
