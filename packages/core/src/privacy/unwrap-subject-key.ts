import type { Failure } from '../ledger/failure.js';
import { keyList, unwrapKey, type UnwrapFailureCode } from './_key-wrap.js';
import type { MasterKey } from './master-key.js';
import { subjectKeyWrapContext, type SubjectKeyContext } from './wrapped-subject-key.js';

export type { UnwrapFailureCode } from './_key-wrap.js';

/**
 * Decrypts a stored subject key (a `WrappedSubjectKey`, or while a rotation runs a list of
 * them) with whichever of `masterKeys` a wrapping names: pass the old and the new key while a
 * rotation runs. `undecryptable` means the record was altered or belongs to another tenant
 * or subject.
 */
export function unwrapSubjectKey(
  masterKeys: MasterKey | readonly MasterKey[],
  record: unknown,
  context: SubjectKeyContext,
): { readonly ok: true; readonly subjectKey: Uint8Array } | Failure<UnwrapFailureCode> {
  const opened = unwrapKey(keyList(masterKeys), record, subjectKeyWrapContext(context));
  return opened.ok ? { ok: true, subjectKey: opened.key } : opened;
}
