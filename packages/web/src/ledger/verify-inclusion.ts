import { bytesEqual } from './bytes';
import { nodeHash } from './merkle-hash';

/**
 * RFC 9162 §2.1.3.2: whether `path` proves the leaf hash at index `m` in the tree of size `n`
 * whose root is `root` (docs/ledger.md has the algorithm and a worked example).
 */
export async function verifyInclusion(
  leafHash: Uint8Array,
  m: number,
  n: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m < n)) return false;
  let fn = m;
  let sn = n - 1;
  let r: Uint8Array = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}
