// Aggregates for run metrics.

export function mean(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Linear-interpolated percentile (numpy's default), p in 0..100: the one percentile rule of run
 * metrics, comparisons and the Monitor. */
export function percentile(xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  return sortedPercentile([...xs].sort((a, b) => a - b), p);
}

/** The same rule on values already in ascending order (not empty). */
export function sortedPercentile(sorted: ArrayLike<number>, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Unbiased pass@k for one case with n samples of which c passed (Chen et al. 2021). */
export function passAtK(n: number, c: number, k: number): number {
  if (n < k) return c > 0 ? 1 : 0;
  if (n - c < k) return 1;
  // 1 - C(n-c, k) / C(n, k), as a product to stay in floating-point range.
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}
