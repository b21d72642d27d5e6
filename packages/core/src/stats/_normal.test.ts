import { describe, it } from 'vitest';
import { normalCdf } from './_normal.js';
import { expectClose } from './fixtures/close.js';

// Reference values from mpmath 1.3 at 50 significant digits (`mp.ncdf`, `mp.gammainc(...,
// regularized=True)`, `mp.betainc(..., regularized=True)`), and for binomial tails with n in
// the thousands or more an exact sum of the probability mass function in mpmath, on the
// same doubles as the arguments below.

describe('normalCdf (Cephes ndtr, as scipy.stats.norm.cdf)', () => {
  it.each([
    [-40, 0], // 3.66e-350 underflows
    [-10, 7.619853024160525e-24],
    [-5, 2.866515718791939e-7],
    [-1.5, 0.06680720126885807],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.3, 0.6179114221889527],
    [1, 0.8413447460685429],
    [2.5, 0.9937903346742238],
    [5, 0.9999997133484281],
    [8, 0.9999999999999993],
    [9, 1],
  ])('Φ(%d)', (x, expected) => {
    expectClose(normalCdf(x), expected, 1e-14, 0);
  });
});
