import { decodeBase64 } from './_base64.js';

/** A JSON array of base64 32-byte hashes (a proof), or undefined if it is anything else. */
export function parseHashList(value: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const hashes: Uint8Array[] = [];
  for (const text of value) {
    const hash = decodeBase64(text);
    if (hash?.length !== 32) return undefined;
    hashes.push(hash);
  }
  return hashes;
}
