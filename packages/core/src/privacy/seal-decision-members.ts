import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { DecisionEvent } from '../contract/event-schema.js';
import { NONCE_BYTES, TAG_BYTES, aesGcmSeal, assertKey } from './_aes-gcm.js';
import { SALT_BYTES, commitmentOfText, personalAad } from './_commitment.js';
import { PERSONAL_PLACEHOLDER } from './personal-fields.js';

/** A decision with its id settled, as sealing reads it. */
export type IdentifiedDecision = DecisionEvent & { readonly id: string };

/** Which free-text fields of a decision are sealed besides the features and the cohort. */
export interface DecisionSealing {
  readonly summary: boolean;
  readonly reasonDetails: boolean;
}

/** A decision's canonical members with its personal values taken out, and their sealed record. */
export interface SealedDecisionMembers {
  readonly members: string[];
  /** The packed record (see packSealedRecord): 0x01, nonce, tag, ciphertext. */
  readonly sealed: Uint8Array;
}

/**
 * `sealPersonalData` of a decision, for the ingest path: the same leaf members and the same
 * record, byte for byte, from the decision and its canonical `members` as `encodeMembers`
 * gave them, re-encoding only the members sealing changes, and with the record packed at once.
 * The salt and nonce derive from the subject key and the event's canonical text, as sealing
 * has always drawn them, so a resent event seals to the same bytes and stays a duplicate.
 * Returns null when the decision holds none of the fields.
 *
 * @throws RangeError for a key that is not 32 bytes.
 */
export function sealDecisionMembers(
  event: IdentifiedDecision,
  members: readonly string[],
  subjectKey: Uint8Array,
  sealing: DecisionSealing,
): SealedDecisionMembers | null {
  assertKey(subjectKey, 'a subject key');
  const values: [pointer: string, value: unknown][] = [];
  if (event.cohort !== undefined) values.push(['/cohort', event.cohort]);
  if (event.input?.features !== undefined) values.push(['/input/features', event.input.features]);
  const reasons = event.rationale.reasons;
  if (sealing.reasonDetails && reasons !== undefined) {
    reasons.forEach((reason, i) => {
      if (reason.detail !== undefined)
        values.push([`/rationale/reasons/${i}/detail`, reason.detail]);
    });
  }
  if (sealing.summary) values.push(['/rationale/summary', event.rationale.summary]);
  if (values.length === 0) return null;
  // Pointers in the order sealPersonalData sorts them (by UTF-16 code units).
  values.sort((a, b) => (a[0] < b[0] ? -1 : 1));

  const eventText = `{${members.join(',')}}`;
  const salt = derivedBlock(subjectKey, 0, eventText);
  const nonce = derivedBlock(subjectKey, 1, eventText).subarray(0, NONCE_BYTES);
  let valuesText = '';
  for (const [pointer, value] of values)
    valuesText += `,${canonicalJson(pointer)}:${canonicalJson(value)}`;
  valuesText = `{${valuesText.slice(1)}}`;
  const commitment = commitmentOfText(salt, valuesText);

  const fields = values.map(([pointer]) => pointer);
  const changed = committedMembers(event, sealing, reasons !== undefined && sealing.reasonDetails);
  const personal = `"personal":${canonicalJson({ commitment, fields })}`;
  const out: string[] = [];
  let personalPlaced = false;
  for (const member of members) {
    const name = member.slice(1, member.indexOf('"', 1));
    if (!personalPlaced && name > 'personal') {
      out.push(personal);
      personalPlaced = true;
    }
    if (name === 'cohort') continue;
    if (name === 'input' && changed.input !== undefined) {
      if (changed.input !== null) out.push(changed.input);
      continue;
    }
    out.push(name === 'rationale' && changed.rationale !== undefined ? changed.rationale : member);
  }
  if (!personalPlaced) out.push(personal);

  const plaintext = Buffer.from(
    `{"salt":"${Buffer.from(salt.buffer, salt.byteOffset, SALT_BYTES).toString('base64')}","values":${valuesText}}`,
  );
  const { ciphertext, tag } = aesGcmSeal(
    subjectKey,
    nonce,
    plaintext,
    personalAad(event.id, commitment),
  );
  const sealed = new Uint8Array(1 + NONCE_BYTES + TAG_BYTES + ciphertext.length);
  sealed[0] = PACKED_A256GCM;
  sealed.set(nonce, 1);
  sealed.set(tag, 1 + NONCE_BYTES);
  sealed.set(ciphertext, 1 + NONCE_BYTES + TAG_BYTES);
  return { members: out, sealed };
}

/** The first byte of a packed record, as packSealedRecord writes it. */
const PACKED_A256GCM = 0x01;

/**
 * The members sealing rewrites, undefined where it leaves one as it is: `input` without its
 * features (null when nothing is left of it), and `rationale` without its sealed text.
 */
function committedMembers(
  event: IdentifiedDecision,
  sealing: DecisionSealing,
  detailsSealed: boolean,
): { readonly input: string | null | undefined; readonly rationale: string | undefined } {
  let input: string | null | undefined;
  if (event.input?.features !== undefined) {
    const { features: _features, ...rest } = event.input;
    input = Object.keys(rest).length === 0 ? null : `"input":${canonicalJson(rest)}`;
  }
  if (!sealing.summary && !detailsSealed) return { input, rationale: undefined };
  const rationale: Record<string, unknown> = { ...event.rationale };
  if (sealing.summary) rationale['summary'] = PERSONAL_PLACEHOLDER;
  if (detailsSealed && event.rationale.reasons !== undefined) {
    rationale['reasons'] = event.rationale.reasons.map((reason) => {
      if (reason.detail === undefined) return reason;
      const { detail: _detail, ...kept } = reason;
      return kept;
    });
  }
  return { input, rationale: `"rationale":${canonicalJson(rationale)}` };
}

/**
 * Block `counter` of HMAC-SHA256(key, "declog/seal-random/v1" NUL counter NUL ‖ event text):
 * block 0 is the salt, the first 12 bytes of block 1 the nonce. Secret without the key, and
 * unique per event content, so a nonce never repeats for two plaintexts under one key.
 */
function derivedBlock(key: Uint8Array, counter: number, eventText: string): Uint8Array {
  return createHmac('sha256', key)
    .update(`declog/seal-random/v1\u0000${counter}\u0000`)
    .update(eventText)
    .digest();
}
