import { decodeBase64, encodeBase64 } from '../ledger/_base64.js';
import { commitmentOf, SALT_BYTES } from '../privacy/_commitment.js';
import { formatPointer } from '../privacy/_json-pointer.js';
import type { AccessEntry } from './access-entry.js';

/**
 * Query parameters whose values are kept in an access entry's leaf: they name models, times,
 * kinds, pages and positions, never a person. Every other value (`q` words, `label.*` values,
 * `subject`, a parameter the route does not know) and the stated purpose may be personal data.
 */
export const PLAIN_ACCESS_FILTERS: ReadonlySet<string> = new Set([
  'model',
  'model_version',
  'from',
  'to',
  'reason',
  'action_kind',
  'outcome_status',
  'limit',
  'cursor',
  'proof',
  'size',
  'seq',
  'action',
  'actor',
  'refusal',
  'dry_run',
]);

/** What an access entry's leaf keeps of its personal details: where they were, and a commitment. */
export interface AccessPersonalCommitment {
  /** JSON pointers into the entry, e.g. `/filters/q` and `/purpose`. */
  readonly fields: readonly string[];
  /** base64(SHA-256(salt ‖ canonical JSON of the values by pointer)). */
  readonly commitment: string;
}

/** The personal details taken out of an entry, kept beside it until erased or expired. */
export interface AccessPersonalDetails {
  /** base64 of the salt the commitment was made with. */
  readonly salt: string;
  /** The values by JSON pointer. */
  readonly values: Readonly<Record<string, string>>;
}

export interface SplitAccessEntry {
  /** The entry for the leaf: the details taken out, `personal` in their place when any were. */
  readonly entry: AccessEntry & { readonly personal?: AccessPersonalCommitment };
  readonly details: AccessPersonalDetails | null;
}

/**
 * Takes an access entry's personal details (the stated purpose, and the values of filters that
 * may name or describe a person) out of what the trail's leaf will hold, leaving a salted
 * commitment to them. The leaf so never holds them, and deleting them (erasure, retention)
 * leaves every leaf, checkpoint and proof of the trail intact, while whoever still holds them
 * can check them against the leaf (see verifyAccessPersonal).
 *
 * @example splitAccessPersonal({ ...entry, filters: { q: 'jane doe', limit: '5' } }, salt)
 *   // entry.filters: { limit: '5' }, entry.personal.fields: ['/filters/q']
 */
export function splitAccessPersonal(entry: AccessEntry, salt: Uint8Array): SplitAccessEntry {
  if (salt.length !== SALT_BYTES) throw new Error(`the salt must be ${SALT_BYTES} bytes`);
  const values: Record<string, string> = {};
  const { purpose, filters, ...rest } = entry;
  let kept: Record<string, string> | undefined;
  if (filters !== undefined) {
    kept = {};
    for (const [name, value] of Object.entries(filters)) {
      if (PLAIN_ACCESS_FILTERS.has(name)) kept[name] = value;
      else values[formatPointer(['filters', name])] = value;
    }
  }
  if (purpose !== undefined) values['/purpose'] = purpose;
  const fields = Object.keys(values).sort();
  const base: AccessEntry = {
    ...rest,
    ...(kept !== undefined && Object.keys(kept).length > 0 ? { filters: kept } : {}),
  };
  if (fields.length === 0) return { entry: base, details: null };
  return {
    entry: { ...base, personal: { fields, commitment: commitmentOf(salt, values) } },
    details: { salt: encodeBase64(salt), values },
  };
}

/** Whether details kept beside an entry are the ones its leaf commits to. */
export function verifyAccessPersonal(
  personal: AccessPersonalCommitment,
  details: AccessPersonalDetails,
): boolean {
  const fields = Object.keys(details.values).sort();
  if (fields.join('\n') !== [...personal.fields].sort().join('\n')) return false;
  const salt = decodeBase64(details.salt);
  if (salt?.length !== SALT_BYTES) return false;
  return commitmentOf(salt, details.values) === personal.commitment;
}
