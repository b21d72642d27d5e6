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
