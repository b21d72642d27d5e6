import {
  checkArray,
  checkFinite,
  checkInteger,
  checkNumber,
  checkOptions,
  checkSameLength,
  fail,
} from './_check.js';
import { linspace } from './_histogram.js';

export interface ClassificationMetricsOptions {
  /** Predicted positive when yProb ≥ threshold; default 0.5. */
  readonly threshold?: number;
  /** Calibration bins, equal width over [0, 1]; default 10. */
  readonly bins?: number;
}

export interface CalibrationBin {
  /** The bin's index, 0 for [0, 1/bins]. */
  readonly bin: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observed: number;
}

export interface ClassificationMetrics {
  readonly confusion: {
    readonly tp: number;
    readonly fp: number;
    readonly tn: number;
    readonly fn: number;
  };
  readonly accuracy: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly brier: number;
  readonly logLoss: number;
  readonly rocAuc: number | null;
  readonly ece: number;
  readonly mce: number;
  readonly calibration: CalibrationBin[];
}

const FN = 'classificationMetrics';
const EPSILON = 2.220446049250313e-16; // np.finfo(np.float64).eps

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the share of (positive, negative)
 * pairs ranked the right way, ties counting ½, which is what `roc_auc_score`'s trapezoids add
 * up to. Counted exactly by merging the two sorted score lists.
 */
function rocAuc(
  yTrue: readonly number[],
  yProb: readonly number[],
  positives: number,
): number | null {
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) pos[ip++] = yProb[i] as number;
    else neg[ineg++] = yProb[i] as number;
  }
  pos.sort();
  neg.sort();
  // For each positive score: the negatives below it count 1, those equal to it ½.
  let below = 0;
  let notAbove = 0;
  let won = 0;
  for (const score of pos) {
    while (below < negatives && (neg[below] as number) < score) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < negatives && (neg[notAbove] as number) <= score) notAbove++;
    won += below + (notAbove - below) / 2;
  }
  return won / (positives * negatives);
}

/**
 * Realised performance of a binary classifier from its outcomes (`yTrue`, 0 or 1) and the
 * probabilities it gave the positive class (`yProb`), with scikit-learn 1.2's definitions:
 * - confusion counts at `threshold` (positive when yProb ≥ threshold); accuracy; precision
 *   tp/(tp + fp), recall tp/(tp + fn) and F1 2tp/(2tp + fp + fn), each null where its
 *   denominator is 0 (scikit-learn answers 0 with a warning);
 * - brier: mean (y − p)² (`brier_score_loss`); logLoss: mean −ln of the probability given to
 *   the true class, p clipped to [ε, 1 − ε] with ε the float64 machine epsilon
 *   (`log_loss(eps='auto', labels=[0, 1])`, so one class alone is allowed);
 * - rocAuc: `roc_auc_score`, ties counted one half; null when only one class is present;
 * - calibration: `calibration_curve(strategy='uniform', n_bins=bins)` binning, edges
 *   `np.linspace(0, 1, bins + 1)`, a value on an inner edge in the lower bin; non-empty bins
 *   only, each with its mean probability and observed positive share;
 *   ece = Σ (n_b/N)·|observed_b − meanPredicted_b|, mce the largest of those gaps.
 *
 * @example classificationMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).rocAuc // 0.75
 */
export function classificationMetrics(
  yTrue: readonly (0 | 1)[],
  yProb: readonly number[],
  options?: ClassificationMetricsOptions,
): ClassificationMetrics {
  const opts = checkOptions(FN, options, ['threshold', 'bins']);
  const labels = checkArray(FN, 'yTrue', yTrue);
  labels.forEach((y, i) => {
    if (y !== 0 && y !== 1) fail(FN, `yTrue[${i}]`, 'must be 0 or 1', y);
  });
  const truth = labels as readonly (0 | 1)[];
  const probs = checkFinite(FN, 'yProb', yProb);
  checkSameLength(FN, 'yProb', probs, 'yTrue', truth);
  probs.forEach((p, i) => {
    if (p < 0 || p > 1) fail(FN, `yProb[${i}]`, 'must be a probability in [0, 1]', p);
  });
  const threshold = checkNumber(FN, 'options.threshold', opts.threshold ?? 0.5, { min: 0, max: 1 });
  const bins = checkInteger(FN, 'options.bins', opts.bins ?? 10, 1, 1_000_000);
  const n = truth.length;

  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let brierSum = 0;
  let logLossSum = 0;
  const edges = linspace(0, 1, bins + 1);
  const binCount = new Array<number>(bins).fill(0);
  const binProb = new Array<number>(bins).fill(0);
  const binTrue = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const y = truth[i] as number;
    const p = probs[i] as number;
    if (p >= threshold) {
      if (y === 1) tp++;
      else fp++;
    } else if (y === 1) fn++;
    else tn++;
    brierSum += (y - p) ** 2;
    const clipped = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    // scikit-learn renormalises the pair (1 − p, p) to sum 1 before taking the logarithm.
    const sum = 1 - clipped + clipped;
    logLossSum -= Math.log((y === 1 ? clipped : 1 - clipped) / sum);
    // np.searchsorted(edges[1:-1], p, 'left'): the number of inner edges below p.
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid + 1] as number) < p) lo = mid + 1;
      else hi = mid;
    }
    binCount[lo] = (binCount[lo] as number) + 1;
    binProb[lo] = (binProb[lo] as number) + p;
    binTrue[lo] = (binTrue[lo] as number) + y;
  }
  const calibration: CalibrationBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < bins; b++) {
    const count = binCount[b] as number;
    if (count === 0) continue;
    const meanPredicted = (binProb[b] as number) / count;
    const observed = (binTrue[b] as number) / count;
    const gap = Math.abs(observed - meanPredicted);
    ece += gap * (count / n);
    if (gap > mce) mce = gap;
    calibration.push({ bin: b, count, meanPredicted, observed });
  }
  const positives = tp + fn;
  return {
    confusion: { tp, fp, tn, fn },
    accuracy: (tp + tn) / n,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: positives === 0 ? null : tp / positives,
    f1: 2 * tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn),
    brier: brierSum / n,
    logLoss: logLossSum / n,
    rocAuc: rocAuc(truth, probs, positives),
    ece,
    mce,
    calibration,
  };
}
