import { checkFinite, checkSameLength, fail } from './_check.js';

const FN = 'wasserstein';

/** Values sorted ascending, with the cumulative weight up to each (index k: first k values). */
function sortedWithCumulative(
  valuesName: string,
  values: readonly number[],
  weightsName: string,
  weights: readonly number[] | undefined,
): { sorted: Float64Array; cumulative: Float64Array | null } {
  if (weights === undefined) return { sorted: Float64Array.from(values).sort(), cumulative: null };
  const w = checkFinite(FN, weightsName, weights);
  checkSameLength(FN, weightsName, w, valuesName, values);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    if ((w[i] as number) < 0) fail(FN, `${weightsName}[${i}]`, 'must not be negative', w[i]);
    total += w[i] as number;
  }
  if (!(total > 0 && Number.isFinite(total))) {
    fail(FN, weightsName, 'must have a positive, finite sum', total);
  }
  const order = Array.from(values.keys()).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const sorted = new Float64Array(order.length);
  const cumulative = new Float64Array(order.length + 1);
  order.forEach((index, k) => {
    sorted[k] = values[index] as number;
    cumulative[k + 1] = (cumulative[k] as number) + (w[index] as number);
  });
  return { sorted, cumulative };
}

/**
 * The first Wasserstein (earth mover's) distance between two one-dimensional empirical
 * distributions, optionally weighted, as SciPy 1.10's `scipy.stats.wasserstein_distance(u,
 * v, uWeights, vWeights)`: the integral of |U(x) − V(x)| over x, with U and V the (weighted)
 * empirical CDFs, summed exactly over the gaps between consecutive pooled values. Weights
 * must be finite, non-negative, with a positive sum; they are normalised to sum 1. Symmetric
 * in its two distributions; in the units of the values.
 *
 * @example wasserstein([0, 1, 3], [5, 6, 8]) // 5
 */
export function wasserstein(
  u: readonly number[],
  v: readonly number[],
  uWeights?: readonly number[],
  vWeights?: readonly number[],
): number {
  const uv = checkFinite(FN, 'u', u);
  const vv = checkFinite(FN, 'v', v);
  const a = sortedWithCumulative('u', uv, 'uWeights', uWeights);
  const b = sortedWithCumulative('v', vv, 'vWeights', vWeights);
  const na = a.sorted.length;
  const nb = b.sorted.length;
  const aTotal = a.cumulative === null ? na : (a.cumulative[na] as number);
  const bTotal = b.cumulative === null ? nb : (b.cumulative[nb] as number);
  // Walk the pooled values in order; between x and the next pooled value both CDFs are flat.
  let ia = 0;
  let ib = 0;
  let distance = 0;
  let x = Math.min(a.sorted[0] as number, b.sorted[0] as number);
  const last = Math.max(a.sorted[na - 1] as number, b.sorted[nb - 1] as number);
  if (!Number.isFinite(last - x)) fail(FN, 'u and v', 'must span a finite range of values');
  for (;;) {
    while (ia < na && (a.sorted[ia] as number) <= x) ia++;
    while (ib < nb && (b.sorted[ib] as number) <= x) ib++;
    if (ia === na && ib === nb) break;
    const next = Math.min(
      ia < na ? (a.sorted[ia] as number) : Infinity,
      ib < nb ? (b.sorted[ib] as number) : Infinity,
    );
    const aCdf = (a.cumulative === null ? ia : (a.cumulative[ia] as number)) / aTotal;
    const bCdf = (b.cumulative === null ? ib : (b.cumulative[ib] as number)) / bTotal;
    distance += Math.abs(aCdf - bCdf) * (next - x);
    x = next;
  }
  return distance;
}
