import { Buffer } from 'node:buffer';

/** Byte-wise equality; these are public hashes and signatures, so no constant-time need. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (what notes are signed over). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * `length` uninitialised bytes in Buffer's shared pool, for bytes that are written, used at
 * once and dropped (decrypted, hashed): memory of their own costs a microsecond or more
 * beyond 64 bytes, where V8 moves typed arrays off its heap. Never for bytes that are kept.
 */
export function transientBytes(length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}

/** {@link utf8} in Buffer's shared pool: see {@link transientBytes} for when. */
export function transientUtf8(text: string): Uint8Array {
  const pooled = Buffer.from(text, 'utf8');
  return new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.byteLength);
}
