// A seeded PRNG for choosing lengths and parameters in interop tests, so a failure can be replayed with
// COFFER_TEST_SEED. Never for key material: keys, nonces and messages come from node:crypto.

/** The seed: $COFFER_TEST_SEED, else the file's own default. */
export function testSeed(fallback: number): number {
  return Number(process.env.COFFER_TEST_SEED ?? fallback) >>> 0;
}

/** mulberry32. */
export function prng(seed: number): { int(min: number, max: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => {
      const x = xs[Math.floor(next() * xs.length)];
      if (x === undefined) throw new Error('pick from an empty list');
      return x;
    },
  };
}
