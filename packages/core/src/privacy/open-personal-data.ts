import { failure, type Failure } from '../ledger/failure.js';
import { aesGcmOpen, assertKey } from './_aes-gcm.js';
import { personalAad } from './_commitment.js';
import { parsePersonalCommitment } from './_parse-personal-commitment.js';
import { parseSealedRecord } from './_parse-sealed-record.js';
import type { PersonalValues } from './personal-commitment.js';
import { verifyPersonalCommitment } from './verify-personal-commitment.js';

// One decoder for every read: a page of 100 sealed decisions would otherwise make 100.
const UTF8 = new TextDecoder();

/** Why a sealed record could not be opened. */
export type OpenFailureCode =
  'not-sealed' | 'malformed-sealed-data' | 'undecryptable' | 'commitment-mismatch';

/** Personal values opened from a sealed record, with the salt that proves them (base64). */
export interface OpenedPersonalData {
  readonly ok: true;
  readonly values: PersonalValues;
  readonly salt: string;
}

/**
 * Decrypts the sealed record of a committed event (parsed from its JSON text, or packed as
 * bytes: see packSealedRecord) and checks the values against the leaf's commitment.
 * `undecryptable` covers a wrong (or destroyed and replaced) key and any altered byte of the
 * record, and a record moved from another event: the event id and commitment are
 * authenticated data, and GCM cannot say which of these happened.
 *
 * @throws RangeError when the key is not 32 bytes.
 */
export function openPersonalData(
  event: { readonly id: string; readonly personal?: unknown },
  sealed: unknown,
  subjectKey: Uint8Array,
): OpenedPersonalData | Failure<OpenFailureCode> {
  assertKey(subjectKey, 'a subject key');
  const personal = parsePersonalCommitment(event.personal);
  if (personal === undefined) {
    return failure('not-sealed', 'the event has no valid personal member');
  }
  const record = parseSealedRecord(sealed);
  if (record === undefined) {
    return failure('malformed-sealed-data', 'the sealed record is malformed');
  }
  const plaintext = aesGcmOpen(
    subjectKey,
    record.nonce,
    record.ciphertext,
    record.tag,
    personalAad(event.id, personal.commitment),
  );
  if (plaintext === undefined) {
    return failure(
      'undecryptable',
      'the subject key is wrong, or the sealed record does not belong to this event or was altered',
    );
  }
  const opened = parsePlaintext(UTF8.decode(plaintext));
  if (opened === undefined) {
    return failure('malformed-sealed-data', 'the sealed record decrypts to an unexpected shape');
  }
  const check = verifyPersonalCommitment(personal, opened.salt, opened.values);
  if (!check.ok) return failure('commitment-mismatch', check.reason);
  return { ok: true, values: opened.values, salt: opened.salt };
}

function parsePlaintext(text: string): { salt: string; values: PersonalValues } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const { salt, values } = parsed as Record<string, unknown>;
    if (typeof salt !== 'string' || values === null || typeof values !== 'object') return undefined;
    if (Array.isArray(values)) return undefined;
    return { salt, values: values as PersonalValues };
  } catch {
    return undefined;
  }
}
