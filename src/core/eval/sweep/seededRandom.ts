// A small seeded generator, so a sweep with the same seed proposes the same trials on every
// machine (Math.random cannot be seeded). mulberry32: 32-bit state, good enough for sampling
// search points, and a few lines instead of a dependency.

export type Random = () => number;

/** Uniform in [0, 1), deterministic for a given seed. */
export function seededRandom(seed: number): Random {
  return mulberry32((seed >>> 0) ^ 0x9e3779b9);
}

/** mulberry32 from a raw 32-bit state (the paired bootstrap uses it directly). */
export function mulberry32(state: number): Random {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller). */
export function gaussian(rand: Random): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
