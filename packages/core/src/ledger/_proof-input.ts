import { HASH_SIZE } from './hashes.js';

/** Whether `value` is a 32-byte hash; checked at runtime because proofs arrive from outside. */
export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/** Whether `proof` is an array of 32-byte hashes. */
export function isHashList(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

/** Whether `n` is a usable tree size or index: a non-negative safe integer. */
export function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** n shifted right by one bit, exact for every safe integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}
