import { canonicalJson } from '../canonical-json.js';
import { utf8 } from '../ledger/_bytes.js';
import type { Failure } from '../ledger/failure.js';
import { systemRandom, type RandomBytes } from './_aes-gcm.js';
import {
  keyList,
  rewrapKey,
  unwrapKey,
  wrapKeyUnder,
  type UnwrapFailureCode,
  type WrapContext,
} from './_key-wrap.js';
import type { MasterKey } from './master-key.js';
import type { StoredWrappedKey } from './wrapped-key.js';

// A tenant's pseudonym key (the HMAC key of its masking pseudonyms) at rest: wrapped by the
// master key like a subject key, with its own associated data,
// canonical JSON of ["declog/pseudonym-key/v1", tenant], so that a wrapped pseudonym key
// never unwraps as a subject key, nor as another tenant's pseudonym key.

function pseudonymKeyWrapContext(tenant: string): WrapContext {
  return {
    aad: utf8(canonicalJson(['declog/pseudonym-key/v1', tenant])),
    owner: `the pseudonym key of tenant ${tenant}`,
  };
}

/**
 * Wraps a tenant's 32-byte pseudonym key under each of `masterKeys` (one record for one key).
 *
 * @throws RangeError when a key is not 32 bytes.
 */
export function wrapPseudonymKey(
  masterKeys: MasterKey | readonly MasterKey[],
  pseudonymKey: Uint8Array,
  tenant: string,
  random: RandomBytes = systemRandom,
): StoredWrappedKey {
  return wrapKeyUnder(keyList(masterKeys), pseudonymKey, pseudonymKeyWrapContext(tenant), random);
}

/** Decrypts a stored pseudonym key of `tenant` with whichever of `masterKeys` it names. */
export function unwrapPseudonymKey(
  masterKeys: MasterKey | readonly MasterKey[],
  record: unknown,
  tenant: string,
): { readonly ok: true; readonly pseudonymKey: Uint8Array } | Failure<UnwrapFailureCode> {
  const opened = unwrapKey(keyList(masterKeys), record, pseudonymKeyWrapContext(tenant));
  return opened.ok ? { ok: true, pseudonymKey: opened.key } : opened;
}

/** As `rewrapSubjectKey`, for a tenant's pseudonym key. */
export function rewrapPseudonymKey(
  record: StoredWrappedKey,
  tenant: string,
  keys: {
    readonly from: MasterKey | readonly MasterKey[];
    readonly to: MasterKey | readonly MasterKey[];
    readonly random?: RandomBytes;
  },
): { readonly ok: true; readonly record: StoredWrappedKey } | Failure<UnwrapFailureCode> {
  return rewrapKey(record, pseudonymKeyWrapContext(tenant), {
    from: keyList(keys.from),
    to: keyList(keys.to),
    random: keys.random ?? systemRandom,
  });
}
