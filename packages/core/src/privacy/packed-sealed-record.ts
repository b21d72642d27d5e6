// How a store may keep a sealed record as bytes rather than JSON text: its three binary
// members as they are, without base64 and member names (about 40% smaller).
import { Buffer } from 'node:buffer';
import { NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import type { SealedRecordBytes } from './_parse-sealed-record.js';

/** The first byte of a packed record: AES-256-GCM, nonce, tag, then the ciphertext. */
const PACKED_A256GCM = 0x01;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/**
 * The record's JSON text (as `JSON.stringify` of a `SealedPersonalData` writes it) as
 * bytes, or null when the text is not one that {@link unpackSealedRecord} gives back
 * exactly: the store then keeps the text.
 */
export function packSealedRecord(text: string): Uint8Array | null {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  if (record === null || typeof record !== 'object') return null;
  const { alg, nonce, ciphertext, tag } = record as Record<string, unknown>;
  if (alg !== 'A256GCM' || typeof nonce !== 'string' || typeof ciphertext !== 'string') {
    return null;
  }
  if (typeof tag !== 'string') return null;
  const nonceBytes = Buffer.from(nonce, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (nonceBytes.length !== NONCE_BYTES || tagBytes.length !== TAG_BYTES) return null;
  const packed = Buffer.allocUnsafe(HEADER_BYTES + Buffer.byteLength(ciphertext, 'base64'));
  packed[0] = PACKED_A256GCM;
  nonceBytes.copy(packed, 1);
  tagBytes.copy(packed, 1 + NONCE_BYTES);
  const written = packed.write(ciphertext, HEADER_BYTES, 'base64');
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, HEADER_BYTES + written);
  // Lenient base64 (padding, stray bits) or other members would not come back: keep the text.
  return unpackSealedRecord(bytes) === text ? bytes : null;
}

/** The JSON text of a record {@link packSealedRecord} packed. */
export function unpackSealedRecord(bytes: Uint8Array): string {
  if (bytes.length < HEADER_BYTES || bytes[0] !== PACKED_A256GCM) {
    throw new RangeError('not a packed sealed record');
  }
  const packed = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base64 = (from: number, to?: number) => packed.toString('base64', from, to);
  return JSON.stringify({
    alg: 'A256GCM',
    nonce: base64(1, 1 + NONCE_BYTES),
    ciphertext: base64(HEADER_BYTES),
    tag: base64(1 + NONCE_BYTES, HEADER_BYTES),
  });
}

/**
 * The binary members of a record {@link packSealedRecord} packed, as views on `bytes` (nothing
 * is copied or decoded), or undefined when `bytes` is not a packed record. The same members
 * as its unpacked text holds.
 */
export function packedRecordBytes(bytes: Uint8Array): SealedRecordBytes | undefined {
  if (bytes.length < HEADER_BYTES || bytes[0] !== PACKED_A256GCM) return undefined;
  return {
    nonce: bytes.subarray(1, 1 + NONCE_BYTES),
    tag: bytes.subarray(1 + NONCE_BYTES, HEADER_BYTES),
    ciphertext: bytes.subarray(HEADER_BYTES),
  };
}
