import { encodeBase64 } from '../ledger/_base64.js';
import {
  NONCE_BYTES,
  aesGcmSeal,
  assertKey,
  draw,
  systemRandom,
  type RandomBytes,
} from './_aes-gcm.js';
import type { MasterKey } from './master-key.js';
import {
  subjectKeyAad,
  type SubjectKeyContext,
  type WrappedSubjectKey,
} from './wrapped-subject-key.js';

/**
 * Encrypts a subject key under the master key for storage. AES-256-GCM rather than AES-KW
 * (RFC 3394): GCM authenticates the tenant and subject as associated data, so a wrapped key
 * copied to another subject's row does not unwrap; AES-KW has no associated data.
 *
 * @throws RangeError when a key is not 32 bytes.
 */
export function wrapSubjectKey(
  masterKey: MasterKey,
  subjectKey: Uint8Array,
  context: SubjectKeyContext,
  random: RandomBytes = systemRandom,
): WrappedSubjectKey {
  assertKey(masterKey.bytes, 'a master key');
  assertKey(subjectKey, 'a subject key');
  const nonce = draw(random, NONCE_BYTES);
  const { ciphertext, tag } = aesGcmSeal(
    masterKey.bytes,
    nonce,
    subjectKey,
    subjectKeyAad(context),
  );
  return {
    alg: 'A256GCM',
    master_key_id: masterKey.id,
    nonce: encodeBase64(nonce),
    wrapped_key: encodeBase64(ciphertext),
    tag: encodeBase64(tag),
  };
}
