import { decodeBase64 } from '../ledger/_base64.js';
import { failure, type Failure } from '../ledger/failure.js';
import { aesGcmOpen } from './_aes-gcm.js';
import type { MasterKey } from './master-key.js';
import { WrappedSubjectKey, subjectKeyAad, type SubjectKeyContext } from './wrapped-subject-key.js';

/** Why a wrapped subject key could not be unwrapped. */
export type UnwrapFailureCode = 'malformed-wrapped-key' | 'unknown-master-key' | 'undecryptable';

/**
 * Decrypts a stored subject key with whichever of `masterKeys` the record names (pass the
 * old and the new key while a rotation runs). `undecryptable` means the record was altered
 * or belongs to another tenant or subject.
 */
export function unwrapSubjectKey(
  masterKeys: MasterKey | readonly MasterKey[],
  record: unknown,
  context: SubjectKeyContext,
): { readonly ok: true; readonly subjectKey: Uint8Array } | Failure<UnwrapFailureCode> {
  const parsed = WrappedSubjectKey.safeParse(record);
  if (!parsed.success) return failure('malformed-wrapped-key', 'the wrapped key is malformed');
  const { master_key_id: id, nonce, wrapped_key: wrapped, tag } = parsed.data;
  const masterKey = (Array.isArray(masterKeys) ? masterKeys : [masterKeys]).find(
    (k) => k.id === id,
  );
  if (masterKey === undefined) {
    return failure('unknown-master-key', `the key was wrapped by master key ${id}, not given`);
  }
  const subjectKey = aesGcmOpen(
    masterKey.bytes,
    decodeBase64(nonce) ?? new Uint8Array(),
    decodeBase64(wrapped) ?? new Uint8Array(),
    decodeBase64(tag) ?? new Uint8Array(),
    subjectKeyAad(context),
  );
  if (subjectKey === undefined) {
    return failure(
      'undecryptable',
      `master key ${id} does not open this record for this tenant and subject`,
    );
  }
  return { ok: true, subjectKey };
}
