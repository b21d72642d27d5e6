// The regularised incomplete beta function I_x(a, b), which gives the binomial upper tail
// (P(X ≥ k | n, p) = I_p(k, n − k + 1)). Algorithm: the continued fraction of Numerical
// Recipes 3rd ed. §6.4 (`betacf`, after Abramowitz and Stegun 26.5.8), evaluated by the
// modified Lentz method, on the side of the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it
// converges fast (x < (a + 1)/(a + b + 2)); Cephes `incbet`, behind SciPy's `betainc` and
// `bdtrc`, makes the same choice. The prefactor x^a (1−x)^b / B(a, b) is computed as in
// DiDonato and Morris, "Significant digit computation of the incomplete beta function
// ratios" (ACM TOMS 18, 1992): the large exponentials cancel analytically, so a tail of a
// binomial with n in the millions keeps its relative accuracy.
import { log1pmx, logGamma, stirlingCorrection } from './_log-gamma.js';

const EPSILON = Number.EPSILON;
const TINY = 1e-300;
const LARGE = 10;

/** ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a < 10 ≤ b, keeping the two large terms apart. */
function logBetaSmallLarge(a: number, b: number): number {
  // ln Γ(b) − ln Γ(a + b) by Stirling's series, with ln(1 + a/b) taken by log1p.
  const difference =
    -(b - 0.5) * Math.log1p(a / b) -
    a * Math.log(a + b) +
    a +
    stirlingCorrection(b) -
    stirlingCorrection(a + b);
  return logGamma(a) + difference;
}

/** x^a y^b / B(a, b), with y = 1 − x given exactly by the caller. */
function betaPrefactor(a: number, b: number, x: number, y: number): number {
  if (a >= LARGE && b >= LARGE) {
    // With x0 = a/(a+b): x^a y^b / B(a,b) = √(ab / 2π(a+b)) · (x/x0)^a (y/(1−x0))^b ·
    // Γ*(a+b) / (Γ*(a) Γ*(b)), and a ln(x/x0) + b ln(y/(1−x0)) = a·log1pmx(d/a) +
    // b·log1pmx(−d/b) with d = x·b − y·a.
    const d = x * b - y * a;
    const exponent =
      a * log1pmx(d / a) +
      b * log1pmx(-d / b) +
      stirlingCorrection(a + b) -
      stirlingCorrection(a) -
      stirlingCorrection(b);
    return Math.sqrt((a * b) / (2 * Math.PI * (a + b))) * Math.exp(exponent);
  }
  let logBeta: number;
  if (a < LARGE && b >= LARGE) logBeta = logBetaSmallLarge(a, b);
  else if (b < LARGE && a >= LARGE) logBeta = logBetaSmallLarge(b, a);
  else logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
  // One of x and y is exact and the other a rounded 1 − x: take each logarithm from the one
  // that is accurate.
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  return Math.exp(a * logX + b * logY - logBeta);
}

/** The continued fraction for I_x(a, b) · a / prefactor (NR `betacf`). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const limit = 1000 + Math.ceil(50 * Math.sqrt(Math.max(a, b)));
  for (let m = 1; m < limit; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1, with `complement` giving 1 − I_x(a, b) directly
 * (each computed on the side where it is not a difference of nearly equal numbers).
 */
export function betaIncomplete(a: number, b: number, x: number, complement = false): number {
  if (x <= 0) return complement ? 1 : 0;
  if (x >= 1) return complement ? 0 : 1;
  const y = 1 - x;
  if (x < (a + 1) / (a + b + 2)) {
    const value = (betaPrefactor(a, b, x, y) * betaFraction(a, b, x)) / a;
    return clamp(complement ? 1 - value : value);
  }
  const value = (betaPrefactor(b, a, y, x) * betaFraction(b, a, y)) / b;
  return clamp(complement ? value : 1 - value);
}

function clamp(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
