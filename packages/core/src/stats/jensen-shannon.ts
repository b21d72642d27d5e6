import { checkFinite, checkNumber, checkOptions, checkSameLength, fail } from './_check.js';

export interface JensenShannonOptions {
  /** The logarithm's base; natural logarithm when absent. */
  readonly base?: number;
}

const FN = 'jensenShannon';

function normalised(name: string, values: readonly number[]): number[] {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0) fail(FN, `${name}[${i}]`, 'must not be negative', v);
    sum += v;
  }
  if (!(sum > 0 && Number.isFinite(sum))) fail(FN, name, 'must have a positive, finite sum', sum);
  return values.map((v) => v / sum);
}

/**
 * The Jensen-Shannon distance between two discrete distributions, as SciPy 1.10's
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: each vector is divided by its sum, m =
 * (p + q)/2, and the distance is √((KL(p‖m) + KL(q‖m)) / 2), with 0·ln 0 = 0 and the
 * divergence divided by ln(base) when a base is given. It is the square root of the
 * divergence: 0 for equal distributions, at most √(ln 2) (natural log) or 1 (base 2).
 * SciPy answers NaN for vectors summing to 0 and for a base below 1; this throws instead.
 *
 * @example jensenShannon([1, 0], [0.5, 0.5]) // 0.46450140402245893
 */
export function jensenShannon(
  p: readonly number[],
  q: readonly number[],
  options?: JensenShannonOptions,
): number {
  const opts = checkOptions(FN, options, ['base']);
  const pv = checkFinite(FN, 'p', p);
  const qv = checkFinite(FN, 'q', q);
  checkSameLength(FN, 'q', qv, 'p', pv);
  const base =
    opts.base === undefined
      ? undefined
      : checkNumber(FN, 'options.base', opts.base, { min: 1, minOpen: true });
  const pn = normalised('p', pv);
  const qn = normalised('q', qv);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const a = pn[i] as number;
    const b = qn[i] as number;
    const m = (a + b) / 2;
    if (a > 0) left += a * Math.log(a / m);
    if (b > 0) right += b * Math.log(b / m);
  }
  let divergence = left + right;
  if (base !== undefined) divergence /= Math.log(base);
  // Rounding can leave a hair below 0 for equal inputs, where SciPy would answer NaN.
  return Math.sqrt(Math.max(0, divergence / 2));
}
