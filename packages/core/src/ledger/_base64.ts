import { Buffer } from 'node:buffer';

/** Standard RFC 4648 §4 base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard padded base64, or returns undefined. Only the canonical encoding
 * is accepted (no whitespace, no URL alphabet, no missing padding, no stray bits), so
 * one value has exactly one text form and signed text cannot be re-encoded unnoticed.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(text, 'base64');
  if (decoded.toString('base64') !== text) return undefined;
  return new Uint8Array(decoded);
}
