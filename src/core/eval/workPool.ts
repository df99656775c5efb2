// Bounded concurrency without one promise per item up front: `concurrency` workers pull the next
// index from a shared counter, so 10,000 cases cost 16 pending promises, not 10,000.

export async function runPool(
  total: number,
  concurrency: number,
  worker: (index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(concurrency, total));
  const lane = async () => {
    while (next < total && !signal?.aborted) {
      const i = next++;
      await worker(i);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
