// Three ways to the two-sided one-sample Kolmogorov-Smirnov CDF P(D_n ≤ x), as SciPy 1.10's
// `scipy/stats/_ksstats.py` (P. van Mulbregt) uses them, following the choice of Simard and
// L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution", J. Stat. Softw. 39(11),
// 2011. The algorithms are the papers'; this is our own rendering of them.
import { clipProbability, ldexp } from './_float.js';
import { stirlingCorrection } from './_log-gamma.js';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln(n! / nⁿ) by Stirling's series, n > 140 (SciPy `_log_nfactorial_div_n_pow_n`). */
export function logFactorialOverPower(n: number): number {
  return Math.log(n) / 2 - n + HALF_LOG_TWO_PI + stirlingCorrection(n);
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) {
        out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
      }
    }
  }
  return out;
}

/**
 * Durbin's matrix algorithm (Ann. Math. Statist. 39, 1968) in the form of Marsaglia, Tsang and
 * Wang, "Evaluating Kolmogorov's Distribution", J. Stat. Softw. 8(18), 2003: with
 * n·x = k − h, P(D_n ≤ x) = n!/nⁿ · (Hⁿ)_{kk} for a (2k−1)-square matrix H, raised to the
 * n-th power by squaring with the scale kept apart in an exponent. SciPy `_kolmogn_DMTW`.
 */
export function durbinMatrixCdf(n: number, x: number): number {
  if (x >= 1) return 1;
  const nx = n * x;
  if (nx <= 0.5) return 0;
  const k = Math.ceil(nx);
  const h = k - nx;
  const m = 2 * k - 1;
  // First column v[j] = (1 − h^{j+1})/(j+1)!, except its last entry; w[j] = 1/j!.
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * factorial;
  let matrix = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) matrix[row * m + col] = w[row - col + 1] as number;
  }
  for (let row = 0; row < m; row++) matrix[row * m] = v[row] as number;
  for (let col = 0; col < m; col++) matrix[(m - 1) * m + col] = v[m - 1 - col] as number;

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let matrixExponent = 0;
  const centre = (k - 1) * m + (k - 1);
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      power = multiply(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[centre] as number) > P128) {
      for (let i = 0; i < matrix.length; i++) matrix[i] = (matrix[i] as number) / P128;
      matrixExponent += E128;
    }
  }
  let p = power[centre] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      exponent -= E128;
    }
  }
  return clipProbability(exponent === 0 ? p : ldexp(p, exponent));
}

/** The interval of row i in Pomeranz's recursion (SciPy `_pomeranz_compute_j1j2`). */
function pomeranzBounds(
  i: number,
  n: number,
  ll: number,
  ceilF: number,
  roundF: number,
): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * Pomeranz's recursion (Comm. ACM 17(12), 1974, Algorithm 487): each of 2n + 1 rows is the
 * convolution of the previous one with Poisson-like weights (g/n)^j/j!, (2g/n)^j/j! or
 * ((1 − 2g)/n)^j/j!; P(D_n ≤ x) = n! times the last entry. SciPy `_kolmogn_Pomeranz`.
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const oneMinusTwoGPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let j = 1; j < size; j++) {
    gPower[j] = ((gPower[j - 1] as number) * gOverN) / j;
    twoGPower[j] = ((twoGPower[j - 1] as number) * twoGOverN) / j;
    oneMinusTwoGPower[j] = ((oneMinusTwoGPower[j - 1] as number) * oneMinusTwoGOverN) / j;
  }
  let previous = new Float64Array(size);
  let current = new Float64Array(size);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilF, roundF);
    const weights =
      i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    // The full convolution of previous[k1 − previousStart, + span) with weights[0, span),
    // both cut at the end of their arrays, read from index j1 − k1 for j2 − j1 + 1 entries.
    const from = k1 - previousStart;
    const aLength = Math.max(0, Math.min(span, size - from));
    const bLength = Math.min(span, size);
    const outStart = j1 - k1;
    const outLength = j2 - j1 + 1;
    let largest = 0;
    for (let r = 0; r < outLength; r++) {
      const index = outStart + r;
      let sum = 0;
      const qFrom = Math.max(0, index - bLength + 1);
      const qTo = Math.min(index, aLength - 1);
      for (let q = qFrom; q <= qTo; q++) {
        sum += (previous[from + q] as number) * (weights[index - q] as number);
      }
      current[r] = sum;
      if (sum > largest) largest = sum;
    }
    if (largest > 0 && largest < M128) {
      for (let r = 0; r < outLength; r++) current[r] = (current[r] as number) * P128;
      exponent -= E128;
    }
    currentStart = previousStart + j1 - k1;
  }
  let answer = current[n - currentStart] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > P128) {
      answer *= M128;
      exponent += E128;
    }
    answer *= m;
  }
  return clipProbability(exponent === 0 ? answer : ldexp(answer, exponent));
}

/**
 * The Pelz-Good approximation (J. R. Stat. Soc. B 38(2), 1976) of P(D_n ≤ x): the
 * Li-Chien/Korolyuk expansion K0 + K1/√n + K2/n + K3/n^{3/2}, each term rewritten with Jacobi
 * theta functions for small z = x√n. SciPy `_kolmogn_PelzGood`; not clipped.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2;
  const PI4 = Math.PI ** 4;
  const PI6 = Math.PI ** 6;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  // Σ c_i q^{(2k−1)²} over odd integers, by Horner's rule in q⁸ᵏ.
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qPower = q ** (8 * k);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ];
    for (let i = 0; i < 4; i++)
      terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const sqrtTwoPi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++)
    terms[i] = ((terms[i] as number) * q * sqrtTwoPi) / (divisors[i] as number);
  // The sums over all integers k in K2 and K3.
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    const kPi = Math.PI * k;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qk;
  }
  terms[2] = (terms[2] as number) + (k2extra * PI2 * sqrtTwoPi) / (-36 * z3);
  terms[3] = (terms[3] as number) + (k3extra * PI2 * sqrtTwoPi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (terms[i] as number) / n ** (i / 2);
  return sum;
}
