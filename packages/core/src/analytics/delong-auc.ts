/**
 * ROC AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837;
 * the placement values of Sun & Xu 2014, IEEE SPL 21:1389): AUC is the mean of the positives'
 * placements among the negatives (ties counted one half, as scikit-learn's roc_auc_score), and
 * its variance S10/m + S01/n from the sample variances of the placements. Null when one class
 * is absent; the variance is null with fewer than two of either class.
 *
 * @example delongAuc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.4]) // { auc: 1, variance: 0 }
 */
export function delongAuc(
  yTrue: readonly (0 | 1)[],
  yProb: readonly number[],
): { auc: number; variance: number | null } | null {
  const positives: number[] = [];
  const negatives: number[] = [];
  yTrue.forEach((y, i) => (y === 1 ? positives : negatives).push(yProb[i] as number));
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return null;
  const sortedNeg = [...negatives].sort((a, b) => a - b);
  const sortedPos = [...positives].sort((a, b) => a - b);
  // For a value v: how many of `sorted` are below it, and how many equal it.
  const below = (sorted: readonly number[], v: number) => lowerBound(sorted, v);
  const equal = (sorted: readonly number[], v: number) =>
    upperBound(sorted, v) - lowerBound(sorted, v);
  const v10 = positives.map((s) => (below(sortedNeg, s) + equal(sortedNeg, s) / 2) / n);
  const v01 = negatives.map((s) => (m - upperBound(sortedPos, s) + equal(sortedPos, s) / 2) / m);
  const auc = mean(v10);
  if (m < 2 || n < 2) return { auc, variance: null };
  return { auc, variance: sampleVariance(v10) / m + sampleVariance(v01) / n };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function sampleVariance(values: readonly number[]): number {
  const mu = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - mu) ** 2;
  return sum / (values.length - 1);
}

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
