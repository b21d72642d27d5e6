import { Buffer } from 'node:buffer';
import { sha256Into } from './_crypto.js';
import { HASH_SIZE } from './hashes.js';

// The input of nodeHash (0x01 ‖ left ‖ right): in a tile, left and right lie side by side,
// so one copy of 64 bytes makes it. Hashing is synchronous, so one buffer serves all calls.
const PAIR_INPUT = new Uint8Array(1 + 2 * HASH_SIZE);
PAIR_INPUT[0] = 1;

/**
 * Merkle hash of the `count` hashes of `bytes` from position `first` (count a power of two):
 * one hash is returned as a view into `bytes`, more are hashed up pairwise, count − 1 hashes,
 * into a hash of its own (a view would keep the whole work buffer alive in a cache).
 */
export function runHash(bytes: Uint8Array, first: number, count: number): Uint8Array {
  const start = first * HASH_SIZE;
  if (count === 1) return bytes.subarray(start, start + HASH_SIZE);
  // Each level is written over the front of the one below it: a parent goes where its left
  // child's pair started, after that pair was copied out.
  const work = new Uint8Array((count / 2) * HASH_SIZE);
  const digests = Buffer.from(work.buffer, work.byteOffset, work.byteLength);
  let source = bytes;
  let from = start;
  for (let width = count / 2; width >= 1; width /= 2) {
    for (let i = 0; i < width; i++) {
      const at = from + 2 * i * HASH_SIZE;
      PAIR_INPUT.set(source.subarray(at, at + 2 * HASH_SIZE), 1);
      sha256Into(PAIR_INPUT, digests, i * HASH_SIZE);
    }
    source = work;
    from = 0;
  }
  return work.slice(0, HASH_SIZE);
}
