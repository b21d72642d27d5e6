import type { Failure } from '../ledger/failure.js';
import { systemRandom, type RandomBytes } from './_aes-gcm.js';
import type { MasterKey } from './master-key.js';
import { unwrapSubjectKey, type UnwrapFailureCode } from './unwrap-subject-key.js';
import { wrapSubjectKey } from './wrap-subject-key.js';
import type { SubjectKeyContext, WrappedSubjectKey } from './wrapped-subject-key.js';

/**
 * One step of a master key rotation: the record wrapped again under `to`. A record that
 * `to` wrapped already comes back as it is, so an interrupted rotation can simply run again.
 *
 * @example rewrapSubjectKey(row.wrapped, { tenant, subject }, { from: [oldKey], to: newKey })
 */
export function rewrapSubjectKey(
  record: WrappedSubjectKey,
  context: SubjectKeyContext,
  keys: {
    readonly from: MasterKey | readonly MasterKey[];
    readonly to: MasterKey;
    readonly random?: RandomBytes;
  },
): { readonly ok: true; readonly record: WrappedSubjectKey } | Failure<UnwrapFailureCode> {
  const fromKeys = Array.isArray(keys.from) ? keys.from : [keys.from];
  const opened = unwrapSubjectKey([keys.to, ...fromKeys], record, context);
  if (!opened.ok) return opened;
  if (record.master_key_id === keys.to.id) return { ok: true, record };
  const rewrapped = wrapSubjectKey(
    keys.to,
    opened.subjectKey,
    context,
    keys.random ?? systemRandom,
  );
  opened.subjectKey.fill(0);
  return { ok: true, record: rewrapped };
}
