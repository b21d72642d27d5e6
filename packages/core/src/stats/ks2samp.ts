import { checkChoice, checkFinite, checkOptions } from './_check.js';
import { clipProbability, roundHalfEven } from './_float.js';
import { kolmogorovSurvival } from './_kolmogorov-survival.js';
import { attemptExact } from './_ks-two-sample-exact.js';

export type KsAlternative = 'two-sided' | 'less' | 'greater';
export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface Ks2sampOptions {
  /** Default 'two-sided'. */
  readonly alternative?: KsAlternative;
  /** Default 'auto': exact when both samples have at most 10,000 values. */
  readonly method?: KsMethod;
}

export interface Ks2sampResult {
  readonly statistic: number;
  readonly pvalue: number;
  /** The method the p-value came from: an exact attempt SciPy gives up falls back to 'asymp'. */
  readonly method: 'exact' | 'asymp';
  /** The value of either sample at which the empirical CDFs are furthest apart. */
  readonly statisticLocation: number;
  /** +1 when the reference's empirical CDF exceeds the current one's there, −1 otherwise. */
  readonly statisticSign: 1 | -1;
}

const FN = 'ks2samp';
const MAX_AUTO_N = 10_000;
const INT32_MAX = 2_147_483_647;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The extreme differences of the empirical CDFs, located as SciPy locates them. */
function extremes(a: Float64Array, b: Float64Array) {
  const n1 = a.length;
  const n2 = b.length;
  let max = -Infinity;
  let maxAt = 0;
  let min = Infinity;
  let minAt = 0;
  // SciPy evaluates F1 − F2 at every value of the concatenation [sorted a, sorted b] and takes
  // the first index of the largest and of the smallest difference: scan in that order.
  for (const [values, other, own] of [
    [a, b, true],
    [b, a, false],
  ] as const) {
    let inOwn = 0;
    let inOther = 0;
    for (const x of values) {
      while (inOwn < values.length && (values[inOwn] as number) <= x) inOwn++;
      while (inOther < other.length && (other[inOther] as number) <= x) inOther++;
      const diff = own ? inOwn / n1 - inOther / n2 : inOther / n1 - inOwn / n2;
      if (diff > max) {
        max = diff;
        maxAt = x;
      }
      if (diff < min) {
        min = diff;
        minAt = x;
      }
    }
  }
  // Math.max(0, −0) is +0: a statistic of no gap is reported as 0, never −0.
  return { max, maxAt, minS: Math.min(1, Math.max(0, -min)), minAt };
}

/**
 * The two-sample Kolmogorov-Smirnov test of `reference` against `current`, as SciPy 1.10's
 * `scipy.stats.ks_2samp(reference, current, alternative, method)`:
 * - the statistic is the largest gap between the empirical CDFs (F_ref − F_cur for
 *   'greater', F_cur − F_ref for 'less', the larger of the two for 'two-sided', +1 sign on a
 *   tie), evaluated at every observed value with ties counted as SciPy's `searchsorted(...,
 *   side='right')` counts them; its location is the first value, reference values first,
 *   at which it is reached;
 * - 'auto' is exact when both samples hold at most 10,000 values and asymptotic otherwise;
 *   'exact' turns asymptotic when lcm(n1, n2) would not fit in 32 bits, as SciPy does;
 * - the exact p-value counts lattice paths (Hodges 1958; the two-sided count as
 *   Viehmann 2021), with the statistic rounded to the lattice h/lcm(n1, n2) and reported so;
 *   where SciPy's floating point overflows (one-sided, unequal sizes, C(n1 + n2, n1) beyond
 *   1.8e308) or rounds outside [0, 1] (its reflection series gives 1.0000000000000002 for
 *   equal sizes 5, 7, 13, … at D = 1/n) it falls back to the asymptotic p-value, and so does
 *   this, with `method` 'asymp';
 * - the asymptotic two-sided p-value is `kstwo.sf(D, round(n1·n2/(n1 + n2)))` (the exact
 *   one-sample distribution at the effective size, Simard and L'Ecuyer 2011), the one-sided
 *   one Hodges' formula 5.3, exp(−2z² − 2z(m + 2n)/(3√(mn(m+n)))) with z = D√(mn/(m+n)) and m
 *   the larger size. Where the effective size rounds to 0 (one value in each sample), SciPy
 *   answers NaN; this uses 1.
 *
 * @example ks2samp([1, 2, 3], [4, 5, 6]) // { statistic: 1, pvalue: 0.1, method: 'exact', ... }
 */
export function ks2samp(
  reference: readonly number[],
  current: readonly number[],
  options?: Ks2sampOptions,
): Ks2sampResult {
  const opts = checkOptions(FN, options, ['alternative', 'method']);
  const a = sorted(checkFinite(FN, 'reference', reference));
  const b = sorted(checkFinite(FN, 'current', current));
  const alternative = checkChoice(FN, 'options.alternative', opts.alternative ?? 'two-sided', [
    'two-sided',
    'less',
    'greater',
  ]);
  let method: KsMethod = checkChoice(FN, 'options.method', opts.method ?? 'auto', [
    'auto',
    'exact',
    'asymp',
  ]);
  const n1 = a.length;
  const n2 = b.length;
  const { max, maxAt, minS, minAt } = extremes(a, b);
  const useMin = alternative === 'less' || (alternative === 'two-sided' && minS > max);
  let d = useMin ? minS : max;
  const location = useMin ? minAt : maxAt;
  const sign = useMin ? -1 : 1;

  const g = gcd(n1, n2);
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) method = 'asymp';
  let pvalue = Number.NaN;
  if (method === 'exact') {
    const attempt = attemptExact(n1, n2, g, d, alternative);
    d = attempt.statistic;
    if (attempt.ok) pvalue = attempt.pvalue;
    else method = 'asymp';
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') {
      pvalue = kolmogorovSurvival(Math.max(1, roundHalfEven(en)), d);
    } else {
      const z = Math.sqrt(en) * d;
      pvalue = Math.exp(-2 * z ** 2 - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return {
    statistic: d,
    pvalue: clipProbability(pvalue),
    method: method === 'exact' ? 'exact' : 'asymp',
    statisticLocation: location === 0 ? 0 : location,
    statisticSign: sign,
  };
}
