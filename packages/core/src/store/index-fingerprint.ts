import { createHmac } from 'node:crypto';
import { labelValue, type ExpectedPosition } from './index-page-problem.js';
import type { IndexElement, IndexSetKind, ValueWeights } from './index-reader.js';

/**
 * Fingerprints of a set of index elements, for the tables a store cannot read back by seq:
 * both sides sum, modulo a prime `P`, `h(value) · w(seq, position)` over their elements, with
 *
 * ```
 * w(seq, position) = ((seq mod P) · multiplier + position + 1) mod P
 * h(value)         = the first 6 bytes of HMAC-SHA256(secret, value), mod P
 * ```
 *
 * `multiplier` and `secret` are drawn afresh for each audit, so whoever edited the tables
 * cannot aim at a collision: two different multisets of elements agree with probability about
 * 1/P. A store sums `w` per value in place (SQL integer arithmetic, which is exact here) and
 * the auditor applies `h`. Sums add up, so pages checked apart (on other threads) combine.
 */
export const FINGERPRINT_MODULUS = 2147483647; // 2^31 − 1, a prime

export interface FingerprintKey {
  /** In `[1, P)`. */
  readonly multiplier: number;
  /** The HMAC key of `h`. */
  readonly secret: Uint8Array;
}

const P = FINGERPRINT_MODULUS;

/** `a · b mod P` for `0 ≤ a, b < P`, exact in doubles (no product exceeds 2^48). */
export function mulMod(a: number, b: number): number {
  const high = (a * Math.floor(b / 65536)) % P;
  return (high * 65536 + a * (b % 65536)) % P;
}

/**
 * `w(seq, position)`: what a store sums as `((seq % P) * multiplier + position + 1) % P` (the
 * 1 keeps the elements of seq 0 from weighing nothing).
 */
export function elementWeight(seq: number, position: number, multiplier: number): number {
  return (mulMod(seq % P, multiplier) + position + 1) % P;
}

/** Values hashed at most once each while the cache holds them. */
const CACHE_LIMIT = 200_000;

/** `h`, and the same for a label and summed over a summary's terms, each kept once computed. */
export interface ValueHash {
  (value: string): number;
  /** `h(labelValue(pair))`. */
  label(pair: readonly [string, string]): number;
  /** `[Σ h(t_i), Σ i·h(t_i)]` mod P (the second 0 unless `positioned`), kept per list. */
  terms(terms: readonly string[], positioned: boolean): readonly [number, number];
}

/** `h(value)` for one key, with the values already hashed kept. */
export function valueHasher(secret: Uint8Array): ValueHash {
  const cache = new Map<string, number>();
  const hash = (value: string): number => {
    let found = cache.get(value);
    if (found === undefined) {
      const digest = createHmac('sha256', secret).update(value, 'utf8').digest();
      found = digest.readUIntBE(0, 6) % P;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(value, found);
    }
    return found;
  };
  const labels = new Map<string, Map<string, number>>();
  const label = ([key, value]: readonly [string, string]): number => {
    let values = labels.get(key);
    if (values === undefined) {
      if (labels.size >= CACHE_LIMIT) labels.clear();
      values = new Map();
      labels.set(key, values);
    }
    let found = values.get(value);
    if (found === undefined) {
      found = hash(labelValue([key, value]));
      if (values.size >= CACHE_LIMIT) values.clear();
      values.set(value, found);
    }
    return found;
  };
  // Lists of terms recur as one array when the caller keeps them per summary.
  const sums = [false, true].map(() => new WeakMap<readonly string[], readonly [number, number]>());
  const terms = (list: readonly string[], positioned: boolean): readonly [number, number] => {
    const kept = sums[positioned ? 1 : 0] as WeakMap<readonly string[], readonly [number, number]>;
    let found = kept.get(list);
    if (found === undefined) {
      let plain = 0;
      let weighted = 0;
      list.forEach((term, i) => {
        const h = hash(term);
        plain = (plain + h) % P;
        if (positioned) weighted = (weighted + mulMod(h, i % P)) % P;
      });
      found = [plain, weighted];
      kept.set(list, found);
    }
    return found;
  };
  return Object.assign(hash, { label, terms });
}

/** The fingerprint of elements. */
export function fingerprintOf(
  elements: Iterable<IndexElement>,
  multiplier: number,
  hash: ValueHash,
): number {
  let sum = 0;
  for (const e of elements) {
    sum = (sum + mulMod(hash(e.value), elementWeight(e.seq, e.position, multiplier))) % P;
  }
  return sum;
}

/**
 * The fingerprint of the elements of `kind` that `positions` call for (what
 * `expectedElements` lists, summed without listing them: an audit does this for every entry).
 */
export function positionsFingerprint(
  positions: readonly ExpectedPosition[],
  kind: IndexSetKind,
  positioned: boolean,
  multiplier: number,
  hash: ValueHash,
): number {
  // Each term is below 2^31: a sum stays exact in a double until it is reduced.
  let sum = 0;
  for (const { seq, facts, terms } of positions) {
    const decision = facts?.decision;
    if (!decision) continue;
    const weight = elementWeight(seq, 0, multiplier);
    switch (kind) {
      case 'reason':
        for (const code of decision.reasonCodes) sum += mulMod(hash(code), weight);
        break;
      case 'label':
        for (const pair of decision.labels) sum += mulMod(hash.label(pair), weight);
        break;
      case 'text': {
        // Σ h(t_i)·(w + i) = w·Σ h(t_i) + Σ i·h(t_i), the two sums kept per list of terms.
        const sums = hash.terms(terms, positioned);
        sum += mulMod(weight, sums[0]) + sums[1];
        break;
      }
    }
    if (sum > 2 ** 52) sum %= P;
  }
  return sum % P;
}

/** The fingerprint of value weights a store summed (per block, when it summed by blocks). */
export function fingerprintOfWeights(
  weights: Iterable<ValueWeights>,
  hash: ValueHash,
): Map<number, number> {
  const byBlock = new Map<number, number>();
  for (const w of weights) {
    const term = mulMod(hash(w.value), w.weight % P);
    byBlock.set(w.block, ((byBlock.get(w.block) ?? 0) + term) % P);
  }
  return byBlock;
}

/** Two fingerprints (or partial sums) added. */
export const addFingerprints = (a: number, b: number): number => (a + b) % P;
