import { checkArray, checkInteger, checkNumber, checkOptions, fail } from './_check.js';
import { poissonUpperTail } from './_tails.js';

export interface CChartOptions {
  /** The first `baseline` points are the in-control reference. */
  readonly baseline: number;
  /** Limit width in standard deviations; default 3. */
  readonly k?: number;
}

export interface CChartPoint {
  /** The point's position in `counts`. */
  readonly index: number;
  readonly count: number;
  /** (count − μ0)/√μ0; null when μ0 = 0. */
  readonly z: number | null;
  readonly ucl: number;
  readonly lcl: number;
  /** count outside [lcl, ucl]. */
  readonly flag: boolean;
  /** P(X ≥ count | Poisson(μ0)). */
  readonly pvalue: number;
}

export interface CChartResult {
  /** The mean count of the baseline points. */
  readonly mu0: number;
  readonly points: CChartPoint[];
}

const FN = 'cChart';

/**
 * A Poisson c-chart for counts per bucket (Montgomery, Introduction to Statistical Quality
 * Control, 7th ed., §7.3): μ0 is the mean of the first `baseline` counts; each later point has
 * limits μ0 ± k·√μ0 (the lower floored at 0), z = (count − μ0)/√μ0, `flag` when the count is
 * outside the limits, and `pvalue` the exact Poisson upper tail P(X ≥ count | μ0)
 * (`scipy.stats.poisson.sf(count − 1, μ0)`). Counts are non-negative integers.
 *
 * @example cChart([4, 6, 5, 5, 14], { baseline: 4 }).points[0]?.flag
 *   // true: 14 is above 5 + 3·√5 = 11.71
 */
export function cChart(counts: readonly number[], options: CChartOptions): CChartResult {
  const opts = checkOptions(FN, options, ['baseline', 'k']);
  const values = checkArray(FN, 'counts', counts);
  values.forEach((v, i) => checkInteger(FN, `counts[${i}]`, v, 0));
  const c = values as readonly number[];
  if (opts.baseline === undefined) fail(FN, 'options.baseline', 'is required');
  const baseline = checkInteger(FN, 'options.baseline', opts.baseline, 1, c.length);
  const k = checkNumber(FN, 'options.k', opts.k ?? 3, { min: 0, minOpen: true });
  let sum = 0;
  for (let i = 0; i < baseline; i++) sum += c[i] as number;
  const mu0 = sum / baseline;
  const sigma = Math.sqrt(mu0);
  const ucl = mu0 + k * sigma;
  const lcl = Math.max(0, mu0 - k * sigma);
  const points: CChartPoint[] = [];
  for (let t = baseline; t < c.length; t++) {
    const count = c[t] as number;
    points.push({
      index: t,
      count,
      z: sigma === 0 ? null : (count - mu0) / sigma,
      ucl,
      lcl,
      flag: count < lcl || count > ucl,
      pvalue: poissonUpperTail(count, mu0),
    });
  }
  return { mu0, points };
}
