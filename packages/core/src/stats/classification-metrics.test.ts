import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';
import { expectClose } from './fixtures/close.js';

describe('classificationMetrics against scikit-learn 1.2 docstring examples', () => {
  it('log_loss: [1, 0, 0, 1] with p = [.9, .1, .2, .65] is 0.21616187468057912', () => {
    expectClose(
      classificationMetrics([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65]).logLoss,
      0.21616187468057912,
    );
  });

  it('brier_score_loss: [0, 1, 1, 0] with p = [.1, .9, .8, .3] is 0.0375', () => {
    // By hand: (0.01 + 0.01 + 0.04 + 0.09)/4.
    expectClose(classificationMetrics([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]).brier, 0.0375);
  });

  it('roc_auc_score: [0, 0, 1, 1] with scores [.1, .4, .35, .8] is 0.75', () => {
    expect(classificationMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).rocAuc).toBe(0.75);
  });

  it('calibration_curve(n_bins=3): prob_true [0, .5, 1], prob_pred [.2, .525, .85]', () => {
    const result = classificationMetrics(
      [0, 0, 0, 0, 1, 1, 1, 1, 1],
      [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1],
      {
        bins: 3,
      },
    );
    expect(result.calibration.map((b) => [b.bin, b.count, b.observed])).toEqual([
      [0, 3, 0],
      [1, 2, 0.5],
      [2, 4, 1],
    ]);
    result.calibration.forEach((b, i) =>
      expectClose(b.meanPredicted, [0.2, 0.525, 0.85][i] as number, 1e-15),
    );
    // By hand: ECE = 3/9·0.2 + 2/9·0.025 + 4/9·0.15 = 0.13888…, MCE = 0.2.
    expectClose(result.ece, (3 / 9) * 0.2 + (2 / 9) * 0.025 + (4 / 9) * 0.15, 1e-12);
    expectClose(result.mce, 0.2, 1e-12);
  });
});

describe('classificationMetrics by hand', () => {
  it('counts the confusion matrix at the threshold (yProb ≥ threshold is positive)', () => {
    const result = classificationMetrics([1, 1, 0, 0, 1], [0.9, 0.5, 0.5, 0.2, 0.1]);
    // predictions at 0.5: 1, 1, 1, 0, 0 → tp 2, fp 1, tn 1, fn 1.
    expect(result.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
    expect(result.accuracy).toBe(0.6);
    expect(result.precision).toBe(2 / 3);
    expect(result.recall).toBe(2 / 3);
    expect(result.f1).toBe(4 / 6);
    // AUC: positives 0.9, 0.5, 0.1 vs negatives 0.5, 0.2: pairs won 2 + 1.5 (tie) + 0 of 6.
    expect(result.rocAuc).toBe(3.5 / 6);
    expect(classificationMetrics([1, 1, 0], [0.9, 0.5, 0.5], { threshold: 0.6 }).confusion).toEqual(
      {
        tp: 1,
        fp: 0,
        tn: 1,
        fn: 1,
      },
    );
  });

  it('reports null where a ratio has no denominator, and clips log loss at ε', () => {
    const result = classificationMetrics([1, 1], [0, 0]);
    expect(result.precision).toBeNull(); // nothing predicted positive
    expect(result.recall).toBe(0);
    expect(result.f1).toBe(0);
    expect(result.rocAuc).toBeNull(); // one class
    // −ln(2^-52) = 36.04365338911715 (mpmath).
    expectClose(result.logLoss, 36.04365338911715, 1e-12);
    const negatives = classificationMetrics([0, 0], [0.2, 0.1]);
    expect([negatives.precision, negatives.recall, negatives.f1]).toEqual([null, null, null]);
  });

  it('puts a value on an inner edge in the lower bin, with NumPy edges (3·0.1 = 0.30000000000000004)', () => {
    const bins = classificationMetrics(
      [0, 0, 0, 0],
      [0.2, 0.3, 0.30000000000000004, 0.3000000000000001],
    ).calibration;
    expect(bins.map((b) => [b.bin, b.count])).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
    ]);
    expect(classificationMetrics([1], [0]).calibration[0]?.bin).toBe(0);
    expect(classificationMetrics([1], [1]).calibration[0]?.bin).toBe(9);
  });
});

describe('classificationMetrics properties', () => {
  const rows = fc.array(
    fc.tuple(fc.constantFrom(0 as const, 1 as const), fc.constantFrom(0, 0.1, 0.25, 0.5, 0.7, 1)),
    {
      minLength: 1,
      maxLength: 40,
    },
  );

  it('has AUC equal to the share of concordant pairs, ties one half', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const y = r.map(([t]) => t);
        const p = r.map(([, s]) => s);
        let won = 0;
        let pairs = 0;
        for (let i = 0; i < r.length; i++) {
          for (let j = 0; j < r.length; j++) {
            if (y[i] !== 1 || y[j] !== 0) continue;
            pairs++;
            won += (p[i] as number) > (p[j] as number) ? 1 : p[i] === p[j] ? 0.5 : 0;
          }
        }
        const auc = classificationMetrics(y, p).rocAuc;
        if (pairs === 0) expect(auc).toBeNull();
        else expectClose(auc, won / pairs, 1e-12);
      }),
    );
  });

  it('keeps every figure in range and does not depend on the order of rows', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const y = r.map(([t]) => t);
        const p = r.map(([, s]) => s);
        const result = classificationMetrics(y, p);
        for (const v of [result.accuracy, result.brier, result.ece, result.mce]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(result.ece).toBeLessThanOrEqual(result.mce + 1e-15);
        const reversed = classificationMetrics([...y].reverse(), [...p].reverse());
        expect(reversed.confusion).toEqual(result.confusion);
        expect(reversed.rocAuc).toBe(result.rocAuc);
        expectClose(reversed.logLoss, result.logLoss, 1e-12);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => classificationMetrics([], [])).toThrow(/yTrue must not be empty/);
    expect(() => classificationMetrics([2 as 1], [0.5])).toThrow(/yTrue\[0\] must be 0 or 1/);
    expect(() => classificationMetrics([1], [1.5])).toThrow(
      /yProb\[0\] must be a probability in \[0, 1\]/,
    );
    expect(() => classificationMetrics([1, 0], [0.5])).toThrow(
      /yProb must have as many values as yTrue/,
    );
    expect(() => classificationMetrics([1], [0.5], { bins: 0 })).toThrow(
      /options.bins must be at least 1/,
    );
    expect(() => classificationMetrics([1], [0.5], { threshold: Number.NaN })).toThrow(
      /options.threshold/,
    );
  });
});
