// The most one invocation may spend (`--max-cost`, the suite's `budget: {max_cost_usd}`). Before
// each call the executor reserves that row's estimated cost; the call is only sent when what was
// spent plus what is reserved for calls in flight stays within the budget. When it would not, no
// more calls start, the ones in flight finish and are recorded, and the run ends KILLED with the
// reason "budget" (resumable like any other killed run).
//
// A reservation is the larger of the row's estimate and the dearest call seen so far, so a prompt
// whose answers run longer than estimated (no max_tokens) still stops before the budget, not after.
// A call settles at its reported cost (0 when served from the cache); LLM-judge calls, whose cost
// the scorers do not report, are charged at their estimate.

export class SpendBudget {
  private spent = 0;
  private reserved = 0;
  private dearest = 0;
  /** Set once a reservation was refused: no more calls start anywhere in the suite. */
  exhausted = false;

  constructor(readonly maxUsd: number) {}

  get spentUsd(): number { return this.spent; }

  /** Reserves for one call; undefined (and exhausted) when it would take the spend past the budget. */
  reserve(estimateUsd: number): number | undefined {
    if (this.exhausted) return undefined;
    const r = Math.max(estimateUsd, this.dearest);
    if (this.spent + this.reserved + r > this.maxUsd) {
      this.exhausted = true;
      return undefined;
    }
    this.reserved += r;
    return r;
  }

  /** The call is over: release its reservation and charge what it cost. */
  settle(reservation: number, costUsd: number): void {
    this.reserved -= reservation;
    this.spent += costUsd;
    if (costUsd > this.dearest) this.dearest = costUsd;
  }
}
