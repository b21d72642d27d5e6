import type { Failure } from '../ledger/failure.js';
import { systemRandom, type RandomBytes } from './_aes-gcm.js';
import { keyList, rewrapKey, type UnwrapFailureCode } from './_key-wrap.js';
import type { MasterKey } from './master-key.js';
import type { StoredWrappedKey } from './wrapped-key.js';
import {
  subjectKeyWrapContext,
  type SubjectKeyContext,
  type WrappedSubjectKey,
} from './wrapped-subject-key.js';

/** The keys of a rewrap: those that may open the record, and those to wrap it under. */
export interface RewrapKeys<To extends MasterKey | readonly MasterKey[]> {
  readonly from: MasterKey | readonly MasterKey[];
  readonly to: To;
  readonly random?: RandomBytes;
}

/**
 * One step of a master key rotation: the stored key wrapped again under `to` (under each of
 * them, in order, when several). A record already wrapped exactly so comes back as it is (the
 * same object), so that an interrupted rotation can simply run again.
 *
 * @example rewrapSubjectKey(row.wrapped, { tenant, subject }, { from: [oldKey], to: newKey })
 */
export function rewrapSubjectKey(
  record: StoredWrappedKey,
  context: SubjectKeyContext,
  keys: RewrapKeys<MasterKey>,
): { readonly ok: true; readonly record: WrappedSubjectKey } | Failure<UnwrapFailureCode>;
export function rewrapSubjectKey(
  record: StoredWrappedKey,
  context: SubjectKeyContext,
  keys: RewrapKeys<MasterKey | readonly MasterKey[]>,
): { readonly ok: true; readonly record: StoredWrappedKey } | Failure<UnwrapFailureCode>;
export function rewrapSubjectKey(
  record: StoredWrappedKey,
  context: SubjectKeyContext,
  keys: RewrapKeys<MasterKey | readonly MasterKey[]>,
): { readonly ok: true; readonly record: StoredWrappedKey } | Failure<UnwrapFailureCode> {
  return rewrapKey(record, subjectKeyWrapContext(context), {
    from: keyList(keys.from),
    to: keyList(keys.to),
    random: keys.random ?? systemRandom,
  });
}
