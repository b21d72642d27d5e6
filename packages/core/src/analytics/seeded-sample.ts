/**
 * A uniform sample of `size` values of `values` without replacement, the same for the same
 * seed (a partial Fisher–Yates shuffle driven by mulberry32), in the values' order. All of
 * them when there are no more than `size`.
 *
 * @example seededSample([1, 2, 3, 4], 2, 7) // two of them, always the same two for seed 7
 */
export function seededSample<T>(values: readonly T[], size: number, seed: number): T[] {
  if (values.length <= size) return [...values];
  const index = values.map((_, i) => i);
  const random = mulberry32(seed);
  for (let i = 0; i < size; i += 1) {
    const j = i + Math.floor(random() * (index.length - i));
    const swap = index[i] as number;
    index[i] = index[j] as number;
    index[j] = swap;
  }
  return index
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((i) => values[i] as T);
}

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit seeded generator of [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
