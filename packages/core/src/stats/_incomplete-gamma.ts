// The regularised incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P,
// which give the chi-square survival function (Q(k/2, x/2)) and the Poisson upper tail
// (P(X ≥ k | μ) = P(k, μ)). Algorithm: the power series for P when x < a + 1 and the
// continued fraction for Q otherwise, evaluated by the modified Lentz method (Press, Teukolsky,
// Vetterling and Flannery, Numerical Recipes 3rd ed. §6.2, `gser` and `gcf`; Cephes `igam`
// and `igamc` choose the same way). The prefactor x^a e^{−x} / Γ(a) is computed as in
// DiDonato and Morris (ACM TOMS 12, 1986) so that large a keeps full relative accuracy.
import { log1pmx, logGamma, stirlingCorrection } from './_log-gamma.js';

const EPSILON = Number.EPSILON;
const TINY = 1e-300;

/** x^a e^{−x} / Γ(a), for a > 0 and x > 0. */
function gammaPrefactor(a: number, x: number): number {
  if (a < 10) return Math.exp(a * Math.log(x) - x - logGamma(a));
  // Γ(a) = √(2π/a) (a/e)^a e^{c(a)}, so the prefactor is √(a/2π) · e^{a·(ln λ − λ + 1) − c(a)}
  // with λ = x/a, and a·(ln λ − λ + 1) = a·log1pmx(λ − 1) is free of cancellation.
  return Math.sqrt(a / (2 * Math.PI)) * Math.exp(a * log1pmx((x - a) / a) - stirlingCorrection(a));
}

/** Enough iterations for the series or fraction to converge: they need O(√a) near x ≈ a. */
function iterationLimit(a: number, x: number): number {
  return 1000 + Math.ceil(50 * Math.sqrt(Math.max(a, x)));
}

/** P(a, x) by its power series, for x < a + 1. */
function lowerBySeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  const limit = iterationLimit(a, x);
  for (let n = 1; n < limit; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * gammaPrefactor(a, x);
}

/** Q(a, x) by its continued fraction, for x ≥ a + 1. */
function upperByFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const limit = iterationLimit(a, x);
  for (let i = 1; i < limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return gammaPrefactor(a, x) * h;
}

/** P(a, x), the regularised lower incomplete gamma function; a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return Math.min(1, lowerBySeries(a, x));
  return Math.max(0, 1 - upperByFraction(a, x));
}

/** Q(a, x) = 1 − P(a, x), the regularised upper incomplete gamma function. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return Math.max(0, 1 - lowerBySeries(a, x));
  return Math.min(1, upperByFraction(a, x));
}
