import { checkArray, fail } from './_check.js';
import { normalCdf } from './_normal.js';

export interface ProportionZTestResult {
  /** (p_ref − p_cur) / √(P(1 − P)(1/n_ref + 1/n_cur)), P the pooled proportion; 0 when undefined. */
  readonly z: number;
  /** Two-sided: 2·(1 − Φ(|z|)). */
  readonly pvalue: number;
}

const FN = 'proportionZTest';

function successes(name: string, value: unknown): { count: number; n: number } {
  const values = checkArray(FN, name, value);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1 || v === true) count++;
    else if (v !== 0 && v !== false) fail(FN, `${name}[${i}]`, 'must be 0, 1, true or false', v);
  }
  return { count, n: values.length };
}

/**
 * The two-sided pooled two-proportion z test, as Evidently 0.7's `z_stattest`
 * (`evidently.legacy.calculations.stattests.z_stattest`): p1 and p2 the shares of 1s (true)
 * in each sample, P = (p1·n1 + p2·n2)/(n1 + n2), z = (p1 − p2)/√(P(1 − P)(1/n1 + 1/n2)) from
 * reference minus current, and pvalue = 2·(1 − Φ(|z|)) computed as Evidently computes it (so
 * p-values below about 1e-16 are 0, as there). When both samples hold one and the same value,
 * Evidently answers pvalue 1 without a z (0/0); this reports z = 0.
 *
 * @example proportionZTest([1, 1, 0, 0], [1, 0, 0, 0]) // { z: 0.7302967433402214, ... }
 */
export function proportionZTest(
  reference: readonly (0 | 1 | boolean)[],
  current: readonly (0 | 1 | boolean)[],
): ProportionZTestResult {
  const ref = successes('reference', reference);
  const cur = successes('current', current);
  const refConstant = ref.count === 0 || ref.count === ref.n;
  const curConstant = cur.count === 0 || cur.count === cur.n;
  const sameSingleValue = refConstant && curConstant && (ref.count === 0) === (cur.count === 0);
  if (sameSingleValue) return { z: 0, pvalue: 1 };
  const p1 = ref.count / ref.n;
  const p2 = cur.count / cur.n;
  const pooled = (p1 * ref.n + p2 * cur.n) / (ref.n + cur.n);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / ref.n + 1 / cur.n));
  return { z, pvalue: 2 * (1 - normalCdf(Math.abs(z))) };
}
