// Floating-point helpers that make a few operations exact where the references compute them
// exactly (integer division, NumPy's rounding, the split of n·x into integer and fraction).

/** floor(a / b) for integers a and b > 0, exact for |a| < 2^53 (Python's `a // b`). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/** NumPy's `np.round` (and Python's `round`): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's constant for doubles

/**
 * a·b as an unevaluated sum hi + lo, exactly (Dekker 1971, "A floating-point technique for
 * extending the available precision", the TwoProduct algorithm with Veltkamp's split).
 */
export function twoProduct(a: number, b: number): { readonly hi: number; readonly lo: number } {
  const hi = a * b;
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  const lo = aLo * bLo - (hi - aHi * bHi - aLo * bHi - aHi * bLo);
  return { hi, lo };
}

/**
 * floor(n·x) and the fractional part n·x − floor(n·x), computed from the exact product
 * (Cephes `modNX` in SciPy 1.10's kolmogorov.c does the same in double-double).
 */
export function splitProduct(
  n: number,
  x: number,
): { readonly floor: number; readonly frac: number } {
  const { hi, lo } = twoProduct(n, x);
  let floor = Math.floor(hi);
  let frac = hi - floor + lo;
  if (frac < 0) {
    floor -= 1;
    frac += 1;
  }
  if (frac >= 1) {
    floor += 1;
    frac = 0;
  }
  return { floor, frac };
}

/** x · 2^e without overflowing or underflowing an intermediate power of two. */
export function ldexp(x: number, e: number): number {
  let value = x;
  let rest = e;
  while (rest > 1000) {
    value *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    value *= 2 ** -1000;
    rest += 1000;
  }
  return value * 2 ** rest;
}

/** p clipped to [0, 1], as the references clip probabilities before returning them. */
export function clipProbability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
