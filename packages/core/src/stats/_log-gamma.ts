// ln Γ(x) and the pieces of Stirling's series that the incomplete gamma and beta functions
// need to keep their relative accuracy for large arguments (the approach of DiDonato and
// Morris, "Computation of the incomplete gamma function ratios and their inverse", ACM TOMS
// 12 (1986), and of Temme's "Special functions" §3.6: factor out the large exponentials
// analytically instead of subtracting two large logarithms).

const HALF_LOG_TWO_PI = 0.9189385332046728;
const STIRLING_FROM = 10;

// B_{2k} / (2k (2k − 1)) for k = 1..8 (Abramowitz and Stegun 6.1.40).
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/**
 * ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π), Stirling's correction, for x ≥ 10, where the
 * truncated series is accurate to better than 1e-17.
 */
export function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  let sum = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * r + (STIRLING[k] as number);
  return sum / x;
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x >= STIRLING_FROM) {
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
  }
  // Γ(x) = Γ(x + k) / (x (x + 1) … (x + k − 1)), shifting into the range of the series.
  let product = 1;
  let z = x;
  while (z < STIRLING_FROM) {
    product *= z;
    z += 1;
  }
  return logGamma(z) - Math.log(product);
}

/** ln(1 + t) − t for t > −1, without cancellation near 0. */
export function log1pmx(t: number): number {
  if (Math.abs(t) > 0.25) return Math.log1p(t) - t;
  // −t²/2 + t³/3 − t⁴/4 + …
  let power = t * t;
  let sum = 0;
  for (let k = 2; k < 200; k++) {
    const term = power / k;
    sum += k % 2 === 0 ? -term : term;
    if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
    power *= t;
  }
  return sum;
}

/**
 * ln C(n, k) for integers 0 ≤ k ≤ n, accurate to a few ulps of its size: the factorials'
 * large logarithms cancel analytically (n ln n − k ln k − (n−k) ln(n−k) = −k ln(k/n) −
 * (n−k) ln((n−k)/n), both terms positive).
 */
export function logBinomial(n: number, k: number): number {
  const m = n - k;
  if (k === 0 || m === 0) return 0;
  if (k < STIRLING_FROM || m < STIRLING_FROM) {
    return logGamma(n + 1) - logGamma(k + 1) - logGamma(m + 1);
  }
  return (
    -k * Math.log(k / n) -
    m * Math.log(m / n) +
    0.5 * Math.log(n / (2 * Math.PI * k * m)) +
    stirlingCorrection(n) -
    stirlingCorrection(k) -
    stirlingCorrection(m)
  );
}
