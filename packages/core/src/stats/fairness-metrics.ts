import { checkArray, checkSameLength, fail } from './_check.js';
import { compareCodePoints } from './_order.js';

export interface GroupRates {
  readonly byGroup: Record<string, number>;
  readonly overall: number;
}

export interface FourFifths {
  /** The group with the highest selection rate (the first in order on a tie). */
  readonly referenceGroup: string;
  /** Each group's selection rate over the highest; null when no group was selected at all. */
  readonly impactRatio: Record<string, number | null>;
  /** The groups whose impact ratio is below 4/5, in order. */
  readonly below: string[];
  readonly passes: boolean;
}

export interface FairnessMetrics {
  /** Sorted by code point. */
  readonly groups: string[];
  readonly groupSizes: Record<string, number>;
  readonly selectionRate: GroupRates;
  readonly truePositiveRate: GroupRates | null;
  readonly falsePositiveRate: GroupRates | null;
  readonly demographicParityDifference: number;
  readonly demographicParityRatio: number | null;
  readonly equalizedOddsDifference: number | null;
  readonly equalizedOddsRatio: number | null;
  readonly equalOpportunityDifference: number | null;
  readonly fourFifths: FourFifths;
}

const FN = 'fairnessMetrics';

interface Tally {
  size: number;
  selected: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** A rate with Fairlearn's convention: 0 over an empty denominator. */
const rate = (num: number, den: number) => (den === 0 ? 0 : num / den);

function spread(values: readonly number[]): { difference: number; ratio: number | null } {
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return { difference: max - min, ratio: max === 0 ? null : min / max };
}

/**
 * Group fairness of binary decisions, with Fairlearn 0.10's definitions and defaults
 * (`MetricFrame` over `selection_rate`, `true_positive_rate`, `false_positive_rate`;
 * `demographic_parity_*`, `equalized_odds_*` with method 'between_groups'):
 * - selection rate: the share of yPred = 1, by group and overall, over every row;
 * - true and false positive rates over the rows whose yTrue is not null, by group for the
 *   groups that have such rows; a rate over an empty denominator is 0, as Fairlearn reports
 *   it; both are null when no row has ground truth;
 * - differences are max − min between groups, ratios min / max (null when max is 0, where
 *   Fairlearn answers NaN); equalized odds difference is the larger of the TPR and FPR
 *   differences, its ratio the smaller of the two ratios, taking Fairlearn's
 *   `min([tpr ratio, fpr ratio])` literally: null when the TPR ratio is undefined, the TPR
 *   ratio when only the FPR ratio is; equal opportunity difference is the TPR difference;
 * - four-fifths rule (29 CFR 1607.4(D)): each group's selection rate over the highest;
 *   `below` lists the groups under 4/5, compared exactly on the counts (5·s_g·n_ref <
 *   4·s_ref·n_g), so a ratio of exactly 0.8 passes.
 *
 * @example fairnessMetrics([1, 0, 1, 0], [1, 0, 1, 1], ['a', 'a', 'b', 'b']).selectionRate
 *   // { byGroup: { a: 0.5, b: 1 }, overall: 0.75 }
 */
export function fairnessMetrics(
  yTrue: readonly (0 | 1 | null)[],
  yPred: readonly (0 | 1)[],
  groups: readonly string[],
): FairnessMetrics {
  const truth = checkArray(FN, 'yTrue', yTrue);
  const predictions = checkArray(FN, 'yPred', yPred);
  const groupOf = checkArray(FN, 'groups', groups);
  checkSameLength(FN, 'yPred', predictions, 'yTrue', truth);
  checkSameLength(FN, 'groups', groupOf, 'yTrue', truth);
  const tallies = new Map<string, Tally>();
  const all: Tally = { size: 0, selected: 0, tp: 0, fp: 0, tn: 0, fn: 0 };
  const labelled = new Set<string>();
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i];
    const p = predictions[i];
    const g = groupOf[i];
    if (y !== 0 && y !== 1 && y !== null) fail(FN, `yTrue[${i}]`, 'must be 0, 1 or null', y);
    if (p !== 0 && p !== 1) fail(FN, `yPred[${i}]`, 'must be 0 or 1', p);
    if (typeof g !== 'string') fail(FN, `groups[${i}]`, 'must be a string', g);
    let t = tallies.get(g);
    if (t === undefined) {
      t = { size: 0, selected: 0, tp: 0, fp: 0, tn: 0, fn: 0 };
      tallies.set(g, t);
    }
    for (const tally of [t, all]) {
      tally.size++;
      tally.selected += p;
      if (y === null) continue;
      if (y === 1) {
        if (p === 1) tally.tp++;
        else tally.fn++;
      } else if (p === 1) tally.fp++;
      else tally.tn++;
    }
    if (y !== null) labelled.add(g);
  }
  const names = [...tallies.keys()].sort(compareCodePoints);
  const tally = (g: string) => tallies.get(g) as Tally;
  // Object.fromEntries makes own properties even of names like "__proto__".
  const byGroup = <T>(keys: readonly string[], f: (t: Tally) => T): Record<string, T> =>
    Object.fromEntries(keys.map((g) => [g, f(tally(g))]));

  const selection = byGroup(names, (t) => t.selected / t.size);
  const selectionRates = names.map((g) => selection[g] as number);
  const parity = spread(selectionRates);

  let truePositiveRate: GroupRates | null = null;
  let falsePositiveRate: GroupRates | null = null;
  let equalizedOddsDifference: number | null = null;
  let equalizedOddsRatio: number | null = null;
  let equalOpportunityDifference: number | null = null;
  const withTruth = names.filter((g) => labelled.has(g));
  if (withTruth.length > 0) {
    truePositiveRate = {
      byGroup: byGroup(withTruth, (t) => rate(t.tp, t.tp + t.fn)),
      overall: rate(all.tp, all.tp + all.fn),
    };
    falsePositiveRate = {
      byGroup: byGroup(withTruth, (t) => rate(t.fp, t.fp + t.tn)),
      overall: rate(all.fp, all.fp + all.tn),
    };
    const tpr = spread(withTruth.map((g) => truePositiveRate?.byGroup[g] as number));
    const fpr = spread(withTruth.map((g) => falsePositiveRate?.byGroup[g] as number));
    equalizedOddsDifference = Math.max(tpr.difference, fpr.difference);
    equalizedOddsRatio =
      tpr.ratio === null ? null : fpr.ratio === null ? tpr.ratio : Math.min(tpr.ratio, fpr.ratio);
    equalOpportunityDifference = tpr.difference;
  }

  let referenceGroup = names[0] as string;
  for (const g of names)
    if ((selection[g] as number) > (selection[referenceGroup] as number)) referenceGroup = g;
  const ref = tally(referenceGroup);
  const highest = selection[referenceGroup] as number;
  const impactRatio = Object.fromEntries(
    names.map((g) => [g, highest === 0 ? null : (selection[g] as number) / highest]),
  );
  const below = names.filter(
    (g) => 5 * tally(g).selected * ref.size < 4 * ref.selected * tally(g).size,
  );

  return {
    groups: names,
    groupSizes: byGroup(names, (t) => t.size),
    selectionRate: { byGroup: selection, overall: all.selected / all.size },
    truePositiveRate,
    falsePositiveRate,
    demographicParityDifference: parity.difference,
    demographicParityRatio: parity.ratio,
    equalizedOddsDifference,
    equalizedOddsRatio,
    equalOpportunityDifference,
    fourFifths: { referenceGroup, impactRatio, below, passes: below.length === 0 },
  };
}
