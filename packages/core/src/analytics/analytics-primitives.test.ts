import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../stats/classification-metrics.js';
import { delongAuc } from './delong-auc.js';
import { durationMs } from './duration-ms.js';
import { seededSample } from './seeded-sample.js';

describe('durationMs', () => {
  it.each([
    ['P30D', 30 * 86_400_000],
    ['PT36H', 36 * 3_600_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT1H30M15.5S', 86_400_000 + 3_600_000 + 1_800_000 + 15_500],
  ])('reads %s', (text, ms) => expect(durationMs(text)).toBe(ms));
  it.each(['P', 'PT', 'P1M', 'P1Y', '30D', 'P-1D', ''])('refuses %s', (text) =>
    expect(durationMs(text)).toBeNull(),
  );
});

describe('seededSample', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i);
  it('draws the same sample for the same seed, in order, without repeats', () => {
    const a = seededSample(values, 100, 42);
    expect(a).toEqual(seededSample(values, 100, 42));
    expect(a).not.toEqual(seededSample(values, 100, 43));
    expect(new Set(a).size).toBe(100);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
  });
  it('keeps everything when the sample is not smaller', () => {
    expect(seededSample([3, 1, 2], 5, 1)).toEqual([3, 1, 2]);
  });
});

describe('delongAuc', () => {
  it('agrees with roc_auc_score, ties counted one half', () => {
    const y: (0 | 1)[] = [1, 0, 1, 0, 1, 0, 0, 1];
    const p = [0.9, 0.3, 0.5, 0.5, 0.7, 0.2, 0.8, 0.4];
    const result = delongAuc(y, p);
    expect(result?.auc).toBeCloseTo(classificationMetrics(y, p).rocAuc as number, 12);
  });
  it('computes the variance by hand on a small case', () => {
    // Positives 0.9, 0.6; negatives 0.7, 0.1. V10 = [1, 0.5], V01 = [0.5, 1] (share of
    // positives above each negative). S10 = 0.125, S01 = 0.125: variance 0.125/2 + 0.125/2.
    const result = delongAuc([1, 1, 0, 0], [0.9, 0.6, 0.7, 0.1]);
    expect(result).toEqual({ auc: 0.75, variance: 0.125 });
  });
  it('is null with one class only', () => {
    expect(delongAuc([1, 1], [0.2, 0.4])).toBeNull();
  });
});
