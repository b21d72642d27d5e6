// P(D_n ≥ x) for the two-sided one-sample Kolmogorov-Smirnov statistic, `scipy.stats.kstwo.sf`
// (SciPy 1.10, `_ksstats.py` `_kolmogn(n, x, cdf=False)`): exact where it is cheap, and the
// method Simard and L'Ecuyer (J. Stat. Softw. 39(11), 2011) recommend for each region of
// (n, n·x²) elsewhere, with SciPy's thresholds.
import { clipProbability } from './_float.js';
import {
  durbinMatrixCdf,
  logFactorialOverPower,
  pelzGoodCdf,
  pomeranzCdf,
} from './_kolmogorov-cdf.js';
import { smirnovSurvival } from './_smirnov.js';

/** P(D_n ≥ x) for an integer n ≥ 1. */
export function kolmogorovSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben and Gambino (1982): P(D_n ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clipProbability(1 - cdf);
  }
  // Ruben and Gambino: P(D_n ≥ x) = 2 (1 − x)ⁿ for x ≥ 1 − 1/n.
  if (t >= n - 1) return clipProbability(2 * (1 - x) ** n);
  // For x ≥ 1/2 the two one-sided events are disjoint: exactly twice the one-sided tail.
  if (x >= 0.5) return clipProbability(2 * smirnovSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clipProbability(1 - durbinMatrixCdf(n, x));
    if (nxSquared <= 4) return clipProbability(1 - pomeranzCdf(n, x));
    // Miller's approximation: twice the one-sided tail.
    return clipProbability(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSurvival(n, x));
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100_000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clipProbability(1 - cdf);
}
