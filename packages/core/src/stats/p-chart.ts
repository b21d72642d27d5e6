import {
  checkArray,
  checkInteger,
  checkNumber,
  checkOptions,
  checkSameLength,
  fail,
} from './_check.js';
import { binomialUpperTail } from './_tails.js';

export interface PChartOptions {
  /** The first `baseline` points are the in-control reference. */
  readonly baseline: number;
  /** Shewhart limit width in standard errors; default 3. */
  readonly k?: number;
  /** EWMA weight of the newest point; default 0.2. */
  readonly lambda?: number;
  /** EWMA limit width in standard deviations; default 3. */
  readonly L?: number;
}

export interface PChartPoint {
  /** The point's position in `events` and `totals`. */
  readonly index: number;
  readonly rate: number;
  /** (rate − p0)/σ_t; null when σ_t = 0 (p0 is 0 or 1). */
  readonly z: number | null;
  readonly ucl: number;
  readonly lcl: number;
  /** rate outside [lcl, ucl]. */
  readonly flag: boolean;
  /** P(X ≥ events | Binomial(totals, p0)). */
  readonly pvalue: number;
  readonly ewma: number;
  readonly ewmaUcl: number;
  readonly ewmaLcl: number;
  readonly ewmaFlag: boolean;
}

export interface PChartResult {
  /** The pooled baseline rate: baseline events / baseline totals. */
  readonly p0: number;
  readonly points: PChartPoint[];
}

const FN = 'pChart';

/**
 * A p-chart with an EWMA companion for a rate (events out of totals per bucket), the standard
 * Shewhart and EWMA charts for proportions (Montgomery, Introduction to Statistical Quality
 * Control, 7th ed., §7.2 and §9.2) with unequal sample sizes:
 * - p0 is the pooled rate of the first `baseline` points (buckets with total 0 add nothing);
 * - each later point t has σ_t = √(p0(1 − p0)/n_t), limits p0 ± k·σ_t (the lower floored at
 *   0, the upper not capped), z = (rate − p0)/σ_t, `flag` when the rate is outside the
 *   limits, and `pvalue` the exact binomial upper tail P(X ≥ x_t | n_t, p0);
 * - the EWMA starts at p0, z_t = λ·rate_t + (1 − λ)·z_{t−1}, with the exact variance for
 *   unequal n: p0(1 − p0)·Σ_{i≤t} λ²(1 − λ)^{2(t−i)}/n_i over the monitored points, and
 *   limits p0 ± L·sd (the lower floored at 0).
 * Events and totals are counts (non-negative integers, events ≤ totals); a monitored point
 * needs a positive total (its rate is undefined otherwise), and the baseline a positive sum.
 *
 * @example pChart([5, 5, 5, 5, 15], [100, 100, 100, 100, 100], { baseline: 4 }).points[0]?.flag
 *   // true: 0.15 is above 0.05 + 3·√(0.05·0.95/100) = 0.1154
 */
export function pChart(
  events: readonly number[],
  totals: readonly number[],
  options: PChartOptions,
): PChartResult {
  const opts = checkOptions(FN, options, ['baseline', 'k', 'lambda', 'L']);
  const ev = checkArray(FN, 'events', events);
  const tot = checkArray(FN, 'totals', totals);
  checkSameLength(FN, 'totals', tot, 'events', ev);
  for (let i = 0; i < ev.length; i++) {
    const n = checkInteger(FN, `totals[${i}]`, tot[i], 0);
    checkInteger(FN, `events[${i}]`, ev[i], 0, n);
  }
  const x = ev as readonly number[];
  const n = tot as readonly number[];
  if (opts.baseline === undefined) fail(FN, 'options.baseline', 'is required');
  const baseline = checkInteger(FN, 'options.baseline', opts.baseline, 1, x.length);
  const k = checkNumber(FN, 'options.k', opts.k ?? 3, { min: 0, minOpen: true });
  const lambda = checkNumber(FN, 'options.lambda', opts.lambda ?? 0.2, {
    min: 0,
    minOpen: true,
    max: 1,
  });
  const L = checkNumber(FN, 'options.L', opts.L ?? 3, { min: 0, minOpen: true });
  let baseEvents = 0;
  let baseTotal = 0;
  for (let i = 0; i < baseline; i++) {
    baseEvents += x[i] as number;
    baseTotal += n[i] as number;
  }
  if (baseTotal === 0) fail(FN, 'totals', `must not sum to 0 over the ${baseline} baseline points`);
  const p0 = baseEvents / baseTotal;
  const variance = p0 * (1 - p0);
  const points: PChartPoint[] = [];
  let ewma = p0;
  let weightSum = 0; // Σ λ²(1 − λ)^{2(t−i)}/n_i, updated as (1 − λ)²·S + λ²/n_t
  for (let t = baseline; t < x.length; t++) {
    const total = n[t] as number;
    if (total === 0) fail(FN, `totals[${t}]`, 'must be positive for a monitored point', total);
    const count = x[t] as number;
    const rate = count / total;
    const sigma = Math.sqrt(variance / total);
    const ucl = p0 + k * sigma;
    const lcl = Math.max(0, p0 - k * sigma);
    ewma = lambda * rate + (1 - lambda) * ewma;
    weightSum = (1 - lambda) ** 2 * weightSum + lambda ** 2 / total;
    const sd = Math.sqrt(variance * weightSum);
    const ewmaUcl = p0 + L * sd;
    const ewmaLcl = Math.max(0, p0 - L * sd);
    points.push({
      index: t,
      rate,
      z: sigma === 0 ? null : (rate - p0) / sigma,
      ucl,
      lcl,
      flag: rate < lcl || rate > ucl,
      pvalue: binomialUpperTail(count, total, p0),
      ewma,
      ewmaUcl,
      ewmaLcl,
      ewmaFlag: ewma < ewmaLcl || ewma > ewmaUcl,
    });
  }
  return { p0, points };
}
