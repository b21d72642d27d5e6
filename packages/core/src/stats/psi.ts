import { checkArray, checkChoice, checkOptions, fail } from './_check.js';
import { histogramCounts, sturgesEdges } from './_histogram.js';
import { compareKeys } from './_order.js';

export type FeatureType = 'numerical' | 'categorical';

export interface PsiOptions {
  /** Default: 'numerical' when every value of both samples is a number. */
  readonly featureType?: FeatureType;
}

export interface PsiResult {
  /** Σ (ref − cur) · ln(ref / cur) over the bins, after the zero fill. */
  readonly value: number;
  readonly binning: 'histogram' | 'values';
  /** The histogram's bin edges (binning 'histogram'), else null. */
  readonly edges: number[] | null;
  /** The values counted (binning 'values'), else null. */
  readonly keys: (number | string)[] | null;
  readonly referencePercents: number[];
  readonly currentPercents: number[];
}

const FN = 'psi';
/** Evidently bins numerical data with more distinct reference values than this. */
const MAX_VALUES_BINNED_BY_VALUE = 20;

function checkValues(name: string, value: unknown): readonly (number | string)[] {
  const values = checkArray(FN, name, value);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail(FN, `${name}[${i}]`, 'must be a finite number or a string', v);
    }
  }
  return values as readonly (number | string)[];
}

/** Evidently's `feel_zeroes`: an empty bin gets min(nonzero)/10⁶, or 0.0001 if that is less. */
function fillZeros(percents: number[]): number[] {
  let smallest = Infinity;
  for (const p of percents) if (p !== 0 && p < smallest) smallest = p;
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return percents.map((p) => (p === 0 ? fill : p));
}

function countValues(values: readonly (number | string)[]): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  // Map keys compare by SameValueZero: -0 and 0 are one value, as in pandas.
  for (const v of values) counts.set(v === 0 ? 0 : v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * The Population Stability Index of `current` against `reference`, as Evidently 0.7's default
 * PSI drift test (`evidently.legacy.calculations.stattests.psi`, with
 * `utils.get_binned_data(reference, current, feature_type, n, feel_zeroes=True)`):
 * - numerical data with more than 20 distinct reference values is binned by a histogram of
 *   the pooled samples with NumPy's 'sturges' edges (`np.histogram_bin_edges(pooled,
 *   'sturges')`; a bin holds its left edge, the last one both edges); values are taken as
 *   float64, so NumPy's widening of integer-typed bins narrower than 1 does not apply;
 * - otherwise, and for categorical data, each value of either sample is its own bin, listed
 *   in `keys`: numbers ascending, then strings by code point (Evidently's order is a set's;
 *   the index does not depend on it); 1 and '1' are different values, 0 and −0 the same;
 * - percents are counts over the sample's size; an empty bin is filled with the sample's
 *   smallest nonzero percent / 10⁶, or with 0.0001 when that smallest percent exceeds 0.0001;
 * - value = Σ (ref − cur) · ln(ref / cur).
 * Evidently's default threshold, applied by the analyses, is 0.1.
 *
 * @example psi(['a', 'a', 'b'], ['a', 'b', 'b']).value // 0.46209812037329684
 */
export function psi(
  reference: readonly (number | string)[],
  current: readonly (number | string)[],
  options?: PsiOptions,
): PsiResult {
  const opts = checkOptions(FN, options, ['featureType']);
  const ref = checkValues('reference', reference);
  const cur = checkValues('current', current);
  const allNumbers =
    ref.every((v) => typeof v === 'number') && cur.every((v) => typeof v === 'number');
  const featureType =
    opts.featureType === undefined
      ? allNumbers
        ? 'numerical'
        : 'categorical'
      : checkChoice(FN, 'options.featureType', opts.featureType, ['numerical', 'categorical']);
  if (featureType === 'numerical' && !allNumbers) {
    const [name, values] = ref.every((v) => typeof v === 'number')
      ? ['current', cur]
      : ['reference', ref];
    const at = values.findIndex((v) => typeof v !== 'number');
    fail(
      FN,
      `${name}[${at}]`,
      "must be a number when options.featureType is 'numerical'",
      values[at],
    );
  }
  const refCounts = countValues(ref);

  let edges: number[] | null = null;
  let keys: (number | string)[] | null = null;
  let refPercents: number[];
  let curPercents: number[];
  if (featureType === 'numerical' && refCounts.size > MAX_VALUES_BINNED_BY_VALUE) {
    const refNumbers = ref as readonly number[];
    const curNumbers = cur as readonly number[];
    let min = Infinity;
    let max = -Infinity;
    for (const v of refNumbers) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (const v of curNumbers) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(max - min)) fail(FN, 'reference and current', 'must span a finite range');
    // −0 and 0 compare equal; report an edge at zero as 0 whichever came first.
    edges = sturgesEdges(min === 0 ? 0 : min, max === 0 ? 0 : max, ref.length + cur.length);
    if (edges === null) {
      fail(FN, 'reference', 'spans too narrow a range for NumPy to make distinct sturges bins');
    }
    refPercents = histogramCounts(refNumbers, edges).map((c) => c / ref.length);
    curPercents = histogramCounts(curNumbers, edges).map((c) => c / cur.length);
  } else {
    const curCounts = countValues(cur);
    keys = [...new Set([...refCounts.keys(), ...curCounts.keys()])].sort(compareKeys);
    refPercents = keys.map((k) => (refCounts.get(k) ?? 0) / ref.length);
    curPercents = keys.map((k) => (curCounts.get(k) ?? 0) / cur.length);
  }
  const referencePercents = fillZeros(refPercents);
  const currentPercents = fillZeros(curPercents);
  let value = 0;
  for (let i = 0; i < referencePercents.length; i++) {
    const r = referencePercents[i] as number;
    const c = currentPercents[i] as number;
    value += (r - c) * Math.log(r / c);
  }
  return {
    value,
    binning: edges === null ? 'values' : 'histogram',
    edges,
    keys,
    referencePercents,
    currentPercents,
  };
}
