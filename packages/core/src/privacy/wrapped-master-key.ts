import { canonicalJson } from '../canonical-json.js';
import { utf8 } from '../ledger/_bytes.js';
import { failure, type Failure } from '../ledger/failure.js';
import { systemRandom, type RandomBytes } from './_aes-gcm.js';
import { unwrapKey, wrapKey, type UnwrapFailureCode, type WrapContext } from './_key-wrap.js';
import { masterKeyId, type MasterKey } from './master-key.js';
import type { WrappedKey } from './wrapped-key.js';

// A master key wrapped by another one: how a rotation keeps the old key at hand for whoever
// holds the new one, until every record the old key wrapped has been moved.

function masterKeyWrapContext(id: string): WrapContext {
  return {
    aad: utf8(canonicalJson(['declog/master-key/v1', id])),
    owner: `master key ${id}`,
  };
}

/** `key` wrapped under `by`; the associated data names `key`'s id. */
export function wrapMasterKey(
  by: MasterKey,
  key: MasterKey,
  random: RandomBytes = systemRandom,
): WrappedKey {
  return wrapKey(by, key.bytes, masterKeyWrapContext(key.id), random);
}

/** The master key of id `id` that `record` holds, opened with `by`. */
export function unwrapMasterKey(
  by: MasterKey,
  record: unknown,
  id: string,
): { readonly ok: true; readonly key: MasterKey } | Failure<UnwrapFailureCode> {
  const opened = unwrapKey([by], record, masterKeyWrapContext(id));
  if (!opened.ok) return opened;
  // The aad binds the id already; a mismatch means a bug, not a forgery that got through.
  if (masterKeyId(opened.key) !== id) {
    return failure('undecryptable', `the wrapped key is not master key ${id}`);
  }
  return { ok: true, key: { id, bytes: opened.key } };
}
