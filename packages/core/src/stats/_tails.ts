// Tail probabilities of the distributions the tests and charts use, from the regularised
// incomplete gamma and beta functions (the identities SciPy 1.10's `chdtrc`, `bdtrc` and
// `pdtrc` rest on: Abramowitz and Stegun 26.4.19, 26.5.24 and 6.5.29).
import { gammaP, gammaQ } from './_incomplete-gamma.js';
import { betaIncomplete } from './_incomplete-beta.js';

/** P(χ²_dof ≥ x), `scipy.stats.chi2.sf(x, dof)`. */
export function chiSquareSurvival(x: number, dof: number): number {
  return gammaQ(dof / 2, x / 2);
}

/** P(X ≥ k) for X ~ Binomial(n, p) and integers 0 ≤ k, `scipy.stats.binom.sf(k − 1, n, p)`. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // P(X ≥ k) = I_p(k, n − k + 1).
  return betaIncomplete(k, n - k + 1, p);
}

/** P(X ≥ k) for X ~ Poisson(mu) and integers k ≥ 0, `scipy.stats.poisson.sf(k − 1, mu)`. */
export function poissonUpperTail(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu <= 0) return 0;
  // P(X ≥ k) = P(k, mu), the regularised lower incomplete gamma function.
  return gammaP(k, mu);
}
