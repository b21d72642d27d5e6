import { bytesEqual } from './bytes';
import { nodeHash } from './merkle-hash';

/**
 * RFC 9162 §2.1.4.2: whether `proof` shows that the tree of size `n` with root `newRoot`
 * extends the tree of size `m` with root `oldRoot` (docs/ledger.md).
 */
export async function verifyConsistency(
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): Promise<boolean> {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 1 && m <= n)) return false;
  if (m === n) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  const hashes = isPowerOfTwo(m) ? [oldRoot, ...proof] : [...proof];
  const first = hashes[0];
  if (first === undefined) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = first;
  let sr: Uint8Array = first;
  for (const c of hashes.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isInteger(Math.log2(value));
}
