// The error function and the standard normal CDF as SciPy 1.10 computes them: Cephes'
// ndtr.c (S. L. Moshier, Cephes Math Library 2.9), whose rational approximations SciPy's
// `scipy.special.ndtr`, `erf` and `erfc` call for real arguments. The coefficients are
// Moshier's published ones; the evaluation below is written for this module.

const MAXLOG = 709.782712893384;

const ERFC_P = [
  2.461969814735305e-10, 0.5641895648310689, 7.463210564422699, 48.63719709856814,
  196.5208329560771, 526.4451949954773, 934.5285271719576, 1027.5518868951572, 557.5353353693994,
];
const ERFC_Q = [
  13.228195115474499, 86.70721408859897, 354.9377788878199, 975.7085017432055, 1823.9091668790973,
  2246.3376081871097, 1656.6630919416134, 557.5353408177277,
];
const ERFC_R = [
  0.5641895835477551, 1.275366707599781, 5.019050422511805, 6.160210979930536, 7.4097426995044895,
  2.9788666537210022,
];
const ERFC_S = [
  2.2605286322011726, 9.396035249380015, 12.048953980809666, 17.08144507475659, 9.608968090632859,
  3.369076451000815,
];
const ERF_T = [
  9.604973739870516, 90.02601972038427, 2232.005345946843, 7003.325141128051, 55592.30130103949,
];
const ERF_U = [
  33.56171416475031, 521.3579497801527, 4594.323829709801, 22629.000061389095, 49267.39426086359,
];

/** Horner's rule over coefficients from the highest power down. */
function polynomial(x: number, coefficients: readonly number[]): number {
  let value = 0;
  for (const c of coefficients) value = value * x + c;
  return value;
}

/** As `polynomial`, with an implicit leading coefficient 1. */
function monicPolynomial(x: number, coefficients: readonly number[]): number {
  let value = 1;
  for (const c of coefficients) value = value * x + c;
  return value;
}

/** erf(x), Cephes `erf`. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x > 1) return 1 - erfc(x);
  const z = x * x;
  return (x * polynomial(z, ERF_T)) / monicPolynomial(z, ERF_U);
}

/** erfc(x) = 1 − erf(x) without cancellation for large x, Cephes `erfc`. */
export function erfc(a: number): number {
  const x = Math.abs(a);
  if (x < 1) return 1 - erf(a);
  const z = -a * a;
  if (z < -MAXLOG) return a < 0 ? 2 : 0;
  const e = Math.exp(z);
  const y =
    x < 8
      ? (e * polynomial(x, ERFC_P)) / monicPolynomial(x, ERFC_Q)
      : (e * polynomial(x, ERFC_R)) / monicPolynomial(x, ERFC_S);
  if (y === 0) return a < 0 ? 2 : 0;
  return a < 0 ? 2 - y : y;
}

/** The standard normal CDF Φ(a), Cephes `ndtr` (SciPy's `scipy.stats.norm.cdf`). */
export function normalCdf(a: number): number {
  const x = a * Math.SQRT1_2;
  const z = Math.abs(x);
  if (z < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  const y = 0.5 * erfc(z);
  return x > 0 ? 1 - y : y;
}
