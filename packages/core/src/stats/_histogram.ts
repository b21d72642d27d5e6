// NumPy's histogram arithmetic, reproduced operation for operation so that bin edges and
// counts agree bit for bit with NumPy (2.x, unchanged since 1.x):
// `np.linspace`, `np.histogram_bin_edges(a, bins='sturges')` and `np.histogram(a, edges)`.

/**
 * `np.linspace(start, stop, num)` (endpoint included): k·step + start with step =
 * (stop − start)/(num − 1), the last value set to `stop` exactly.
 */
export function linspace(start: number, stop: number, num: number): number[] {
  const out = new Array<number>(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let k = 0; k < num; k++) {
    // NumPy divides first when the step underflows to 0 (denormal ranges, gh-5437).
    out[k] = (step === 0 ? (k / div) * delta : k * step) + start;
  }
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * `np.histogram_bin_edges(values, bins='sturges')` for data whose smallest and largest
 * values are `min` and `max` and whose size is `size`: width = (max − min)/(log2(size) + 1),
 * ⌈(max − min)/width⌉ equal bins between min and max (a zero range widened by ½ each way).
 * Returns null where NumPy refuses ("Too many bins for data range").
 */
export function sturgesEdges(min: number, max: number, size: number): number[] | null {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width !== 0 ? Math.ceil((last - first) / width) : 1;
  const edges = linspace(first, last, bins + 1);
  for (let i = 0; i + 1 < edges.length; i++) {
    if ((edges[i] as number) >= (edges[i + 1] as number)) return null;
  }
  return edges;
}

/**
 * `np.histogram(values, edges)[0]`: bin i holds edges[i] ≤ v < edges[i+1], the last bin
 * also its right edge; values outside [edges[0], edges[last]] are not counted.
 */
export function histogramCounts(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const low = edges[0] as number;
  const high = edges[bins] as number;
  for (const v of values) {
    if (!(v >= low && v <= high)) continue;
    // The number of inner edges ≤ v is the bin.
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid + 1] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}
