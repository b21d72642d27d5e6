// The exact null distribution of the two-sample Kolmogorov-Smirnov statistic, by counting
// lattice paths, as SciPy 1.10's `ks_2samp` computes it (`_attempt_exact_2kssamp` and the
// helpers named below), following J. L. Hodges Jr., "The Significance Probability of the
// Smirnov Two-Sample Test", Arkiv för Matematik 3(43), 1958, and, for the two-sided case,
// T. Viehmann, "Numerically more stable computation of the p-values for the two-sample
// Kolmogorov-Smirnov test", arXiv:2102.08037. A sample pair of sizes m and n is a monotone
// lattice path from (0, 0) to (m, n); the statistic is at least h/lcm(m, n) when the path
// leaves the band |x/m − y/n| < h/lcm.
import { floorDiv, roundHalfEven } from './_float.js';
import { logBinomial } from './_log-gamma.js';

/** C(n, k) as a double (Infinity when it overflows). */
function binomial(n: number, k: number): number {
  const j = Math.min(k, n - k);
  if (j < 0) return 0;
  if (j < 20) {
    // Exact while the product stays below 2^53.
    let value = 1;
    for (let i = 1; i <= j; i++) value = (value * (n - j + i)) / i;
    return value;
  }
  return Math.exp(logBinomial(n, j));
}

/**
 * P(D_{n,n} ≥ h/n) for two samples of n (SciPy `_compute_prob_outside_square`): the
 * reflection series 2 Σ_{k≥1} (−1)^{k+1} C(2n, n − kh)/C(2n, n), with each ratio taken from
 * the previous one and nested as A₀(1 − A₁(1 − A₂(…))) against cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} ≥ h/lcm) for m ≠ n (SciPy `_compute_outer_prob_inside_method`): the share of
 * paths that have left the band, column by column. A point's share is the weighted mean of
 * its two predecessors' (i and j of the C(i+j, j) paths to (i, j) come from the left and from
 * below), and 1 outside the band; only the window of rows inside the band is kept.
 */
function probOutsideBand(sizeA: number, sizeB: number, g: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let length = maxJ - minJ;
  // Entries past the current window stay 1 (outside the band), so reads past it need no check.
  const column = new Float64Array(n + 2).fill(1);
  column.fill(0, minJ, maxJ);
  // Multiplying by a stored 1/(i + j) instead of dividing halves the time of this loop, the
  // whole cost of the exact test (about 2·D·m·n steps); it changes the result by about an ulp.
  const reciprocal = new Float64Array(m + n + 1);
  for (let k = 1; k <= m + n; k++) reciprocal[k] = 1 / k;
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = length;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    // The share below the window is 1 (outside the band) unless the window starts at row 0.
    let below = minJ === 0 ? 0 : 1;
    const shift = minJ - lastMinJ;
    length = maxJ - minJ;
    // While i·ng < h, every point (i', j') with j'·mg < h is reached only from inside the band:
    // its share is 0 in this column as in the last one (minJ is 0 here), so skip those rows.
    const start = ng * i < h ? Math.min(Math.ceil(h / mg), length) : 0;
    for (let jj = start; jj < length; jj++) {
      const j = jj + minJ;
      below = ((column[jj + shift] as number) * i + below * j) * (reciprocal[i + j] as number);
      column[jj] = below;
    }
    if (lastLength > length) column.fill(1, length, lastLength);
  }
  return column[maxJ - minJ - 1] as number;
}

/**
 * The number of paths from (0, 0) to (m, n) that reach the line m·y ≤ n·x − h·g, i.e. whose
 * one-sided statistic is at least h/lcm (SciPy `_count_paths_outside_method`, Hodges §5):
 * B_j counts the paths that first reach the line at its j-th crossing point, by inclusion
 * and exclusion, and each is extended to (m, n) in every way. NaN or Infinity when doubles
 * cannot hold the counts.
 */
function countPathsOutside(sizeA: number, sizeB: number, g: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const mg = m / g;
  const ng = n / g;
  const count = n + floorDiv(mg - h, mg);
  if (count <= 0) return binomial(m + n, n);
  const xj = new Float64Array(count);
  for (let j = 0; j < count; j++) xj[j] = floorDiv(h + mg * j + ng - 1, ng);
  const firstReach = new Float64Array(count);
  firstReach[0] = 1;
  for (let j = 1; j < count; j++) {
    const x = xj[j] as number;
    let paths = binomial(x + j, j);
    for (let i = 0; i < j; i++) {
      paths -= binomial(x - (xj[i] as number) + j - i, j - i) * (firstReach[i] as number);
    }
    firstReach[j] = paths;
  }
  let total = 0;
  for (let j = 0; j < count; j++) {
    total += (firstReach[j] as number) * binomial(m - (xj[j] as number) + (n - j), n - j);
  }
  return total;
}

/** The outcome of an attempt at the exact p-value: `ok` false sends SciPy to 'asymp'. */
export interface ExactAttempt {
  readonly ok: boolean;
  /** The statistic rounded to the lattice, h/lcm, which SciPy reports from here on. */
  readonly statistic: number;
  readonly pvalue: number;
}

/**
 * SciPy `_attempt_exact_2kssamp`: the exact p-value of statistic d for samples of n1 and n2,
 * or a failure where SciPy's floating point overflows (it then falls back to 'asymp').
 */
export function attemptExact(
  n1: number,
  n2: number,
  g: number,
  d: number,
  alternative: 'two-sided' | 'less' | 'greater',
): ExactAttempt {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { ok: true, statistic, pvalue: 1 };
  let pvalue: number;
  if (alternative === 'two-sided') {
    if (n1 === n2) pvalue = probOutsideSquare(n1, h);
    // D = 1: only the two paths that take one sample wholly before the other, of C(n1 + n2,
    // n1). Exact, and it spares the band method its widest (slowest) case.
    else if (h === lcm) pvalue = 2 / binomial(n1 + n2, n1);
    else pvalue = probOutsideBand(n1, n2, g, h);
  } else if (n1 === n2) {
    // C(2n, n − h)/C(2n, n) as a product of h ratios.
    pvalue = 1;
    for (let j = 0; j < h; j++) pvalue *= (n1 - j) / (n1 + j + 1);
  } else {
    const all = binomial(n1 + n2, n1);
    // SciPy raises on overflow first; the counts below stay finite whenever this does.
    if (!Number.isFinite(all)) return { ok: false, statistic, pvalue: Number.NaN };
    const outside = countPathsOutside(n1, n2, g, h);
    if (!Number.isFinite(outside) || outside > all) {
      return { ok: false, statistic, pvalue: Number.NaN };
    }
    pvalue = outside / all;
  }
  if (!(pvalue >= 0 && pvalue <= 1)) return { ok: false, statistic, pvalue };
  return { ok: true, statistic, pvalue };
}
