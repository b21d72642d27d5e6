import { checkFinite, checkNumber, checkOptions, fail } from './_check.js';

export interface StdThresholdOptions {
  /** Multiplier of the standard deviation above the mean; default 3; null for no upper bound. */
  readonly upper?: number | null;
  /** Multiplier below the mean; default null (no lower bound). */
  readonly lower?: number | null;
  /** A floor for the lower bound (e.g. 0 for a rate); default null. */
  readonly lowerLimit?: number | null;
}

export interface StdThresholdResult {
  readonly mean: number;
  /** Population standard deviation (ddof 0). */
  readonly std: number;
  readonly upper: number | null;
  readonly lower: number | null;
}

const FN = 'stdThreshold';

function multiplier(name: string, value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  return checkNumber(FN, name, value, { min: 0 });
}

/**
 * The alert band a monitor derives from a metric's values on reference windows, as
 * NannyML's `StandardDeviationThreshold` with `calculate_threshold_values`: mean ± multiplier
 * × the population standard deviation (`np.std`, ddof 0). The defaults here are an upper
 * multiplier of 3 and no lower bound (NannyML's default has both at 3). A lower bound below
 * `lowerLimit` is replaced by `lowerLimit`, as NannyML's `lower_threshold_value_limit`.
 *
 * @example stdThreshold([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { lower: 3 })
 *   // { mean: 4.5, std: 2.8722813232690143, upper: 13.116843969807043, lower: -4.116843969807043 }
 */
export function stdThreshold(
  referenceValues: readonly number[],
  options?: StdThresholdOptions,
): StdThresholdResult {
  const opts = checkOptions(FN, options, ['upper', 'lower', 'lowerLimit']);
  const values = checkFinite(FN, 'referenceValues', referenceValues);
  const upperMultiplier = multiplier('options.upper', opts.upper, 3);
  const lowerMultiplier = multiplier('options.lower', opts.lower, null);
  const lowerLimit =
    opts.lowerLimit === undefined || opts.lowerLimit === null
      ? null
      : checkNumber(FN, 'options.lowerLimit', opts.lowerLimit);
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  if (!Number.isFinite(mean) || !Number.isFinite(std)) {
    fail(FN, 'referenceValues', 'are too large for their mean and deviation to be finite');
  }
  const upper = upperMultiplier === null ? null : mean + std * upperMultiplier;
  let lower = lowerMultiplier === null ? null : mean - std * lowerMultiplier;
  if (lower !== null && lowerLimit !== null && lower < lowerLimit) lower = lowerLimit;
  return { mean, std, upper, lower };
}
