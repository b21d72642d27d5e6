import { Buffer } from 'node:buffer';

/** Byte-wise equality of two hashes or leaves (public values: no constant-time need). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
