import { assertKey, systemRandom, type RandomBytes } from './_aes-gcm.js';
import { keyList, wrapKey, wrapKeyUnder } from './_key-wrap.js';
import type { MasterKey } from './master-key.js';
import type { StoredWrappedKey } from './wrapped-key.js';
import {
  subjectKeyWrapContext,
  type SubjectKeyContext,
  type WrappedSubjectKey,
} from './wrapped-subject-key.js';

/**
 * Encrypts a subject key under the master key for storage. AES-256-GCM rather than AES-KW
 * (RFC 3394): GCM authenticates the tenant and subject as associated data, so a wrapped key
 * copied to another subject's row does not unwrap; AES-KW has no associated data. Given
 * several master keys (while a rotation runs), it wraps under each of them.
 *
 * @throws RangeError when a key is not 32 bytes.
 */
export function wrapSubjectKey(
  masterKey: MasterKey,
  subjectKey: Uint8Array,
  context: SubjectKeyContext,
  random?: RandomBytes,
): WrappedSubjectKey;
export function wrapSubjectKey(
  masterKeys: readonly MasterKey[],
  subjectKey: Uint8Array,
  context: SubjectKeyContext,
  random?: RandomBytes,
): StoredWrappedKey;
export function wrapSubjectKey(
  masterKeys: MasterKey | readonly MasterKey[],
  subjectKey: Uint8Array,
  context: SubjectKeyContext,
  random: RandomBytes = systemRandom,
): StoredWrappedKey {
  assertKey(subjectKey, 'a subject key');
  const wrapContext = subjectKeyWrapContext(context);
  return Array.isArray(masterKeys)
    ? wrapKeyUnder(keyList(masterKeys), subjectKey, wrapContext, random)
    : wrapKey(masterKeys as MasterKey, subjectKey, wrapContext, random);
}
