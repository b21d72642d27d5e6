import { z } from 'zod';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import { base64Of } from './personal-commitment.js';

/**
 * A 32-byte key encrypted under a master key for storage, naming that master key:
 * `wrapped_key ‖ tag = AES-256-GCM(master key, nonce, key, aad)`. The aad says whose key it
 * is (a subject's, a tenant's pseudonym key, a master key), so that one kind can never be
 * taken for another. Binary members are canonical padded base64.
 */
export const WrappedKey = z.strictObject({
  alg: z.literal('A256GCM'),
  master_key_id: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits'),
  nonce: base64Of(NONCE_BYTES),
  wrapped_key: base64Of(KEY_BYTES),
  tag: base64Of(TAG_BYTES),
});

export type WrappedKey = Readonly<z.infer<typeof WrappedKey>>;

/**
 * A key as stored: one {@link WrappedKey}, or while a master key rotation runs, the same key
 * wrapped under each of several master keys, so that any one of them opens it.
 */
export const StoredWrappedKey = z.union([WrappedKey, z.array(WrappedKey).min(1).max(8)]);

export type StoredWrappedKey = WrappedKey | readonly WrappedKey[];

/** The ids of the master keys that wrapped a stored key, in stored order. */
export function wrappingKeyIds(stored: StoredWrappedKey): readonly string[] {
  return (isWrappingList(stored) ? stored : [stored]).map((w) => w.master_key_id);
}

export function isWrappingList(stored: StoredWrappedKey): stored is readonly WrappedKey[] {
  return Array.isArray(stored);
}
