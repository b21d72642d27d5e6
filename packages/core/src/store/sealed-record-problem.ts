import { parseSealedRecord } from '../privacy/_parse-sealed-record.js';
import type { IndexFacts } from './index-facts.js';
import type { StoredSealedRecord } from './index-reader.js';

/**
 * Whether the sealed record a store keeps beside an event (`record`, undefined when none) is
 * the one its leaf commits to, as far as can be told without the subject's key: one is kept
 * exactly when the leaf has a `personal` member, filed under the leaf's subject, holding a
 * well-formed record (when its content was read) or marked shredded (by an erasure or retention). A record may be
 * missing only when the subject was erased before the event arrived (`subjectErased`): it
 * was then sealed under a key thrown away, and nothing was kept. Returns what is wrong, or
 * null. Whether the record opens against the commitment needs the key (`openPersonalData`).
 */
export function sealedRecordProblem(
  facts: IndexFacts,
  record: StoredSealedRecord | undefined,
  subjectErased: boolean,
): string | null {
  const { personal } = facts;
  if (personal === null) {
    return record === undefined
      ? null
      : 'a sealed record is kept for it, though its leaf commits to none (personal_data)';
  }
  if (record === undefined) {
    return subjectErased
      ? null
      : `its sealed record is missing, though its subject ${JSON.stringify(personal.subject)} ` +
          'was not erased: reads would serve it without its personal values (personal_data)';
  }
  if (record.subject !== personal.subject) {
    return (
      `its sealed record is filed under subject ${JSON.stringify(record.subject)} but the ` +
      `event's subject is ${JSON.stringify(personal.subject)} (personal_data)`
    );
  }
  if (!record.kept) {
    return record.shreddedAt !== null && record.shreddedBy !== null
      ? null
      : 'its sealed record was emptied without being marked shredded (personal_data)';
  }
  if (record.shreddedAt !== null) {
    return 'its sealed record is marked shredded but still holds a record (personal_data)';
  }
  return record.content !== undefined &&
    parseSealedRecord(asRecordValue(record.content)) === undefined
    ? 'its sealed record is malformed (personal_data)'
    : null;
}

/** A stored record as `parseSealedRecord` and `openPersonalData` take it. */
export function asRecordValue(sealed: string | Uint8Array): unknown {
  if (typeof sealed !== 'string') return sealed;
  try {
    return JSON.parse(sealed);
  } catch {
    return undefined;
  }
}
