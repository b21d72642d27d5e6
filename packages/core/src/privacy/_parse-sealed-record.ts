import { decodeBase64 } from '../ledger/_base64.js';
import { transientBytes } from '../ledger/_bytes.js';
import { NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import { hasExactMembers } from './_exact-members.js';
import { packedRecordBytes } from './packed-sealed-record.js';
import { SealedPersonalData } from './sealed-personal-data.js';

/**
 * The binary members of a {@link SealedPersonalData}, decoded. Decipher them, do not keep
 * them: decoded from text, the ciphertext lies in Buffer's shared pool (see transientBytes);
 * read from a packed record, all three are views on the stored bytes.
 */
export interface SealedRecordBytes {
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

const MEMBERS = ['alg', 'nonce', 'ciphertext', 'tag'];

/**
 * The decoded members of `value`, or undefined when {@link SealedPersonalData} refuses it.
 * Every read opens one record per sealed event, so the usual case (one JSON.parse made) is
 * checked by hand, decoding each member once (a third of the time of the schema and the
 * decoding after it); whatever that check does not accept is left to the schema, so the
 * answer is always the schema's. `value` may also be the record packed as bytes (see
 * packSealedRecord), as a store keeps it: its members are then read in place.
 */
export function parseSealedRecord(value: unknown): SealedRecordBytes | undefined {
  if (value instanceof Uint8Array) return packedRecordBytes(value);
  const bytes = sealedRecordBytes(value);
  if (bytes !== undefined) return bytes;
  const parsed = SealedPersonalData.safeParse(value);
  // What the schema takes is then a plain object of valid members, which the check accepts.
  return parsed.success ? sealedRecordBytes(parsed.data) : undefined;
}

/** Accepts only what {@link SealedPersonalData} accepts, though perhaps not all of it. */
export function sealedRecordBytes(value: unknown): SealedRecordBytes | undefined {
  if (!hasExactMembers(value, MEMBERS)) return undefined;
  const { alg, nonce, ciphertext, tag } = value;
  if (alg !== 'A256GCM') return undefined;
  if (typeof nonce !== 'string' || typeof ciphertext !== 'string' || typeof tag !== 'string') {
    return undefined;
  }
  const nonceBytes = decodeBase64(nonce);
  // Only deciphered, then dropped.
  const ciphertextBytes = decodeBase64(ciphertext, transientBytes);
  const tagBytes = decodeBase64(tag);
  if (nonceBytes?.length !== NONCE_BYTES || tagBytes?.length !== TAG_BYTES) return undefined;
  if (ciphertextBytes === undefined) return undefined;
  return { nonce: nonceBytes, ciphertext: ciphertextBytes, tag: tagBytes };
}
