import { decodeBase64 } from '../ledger/_base64.js';
import { hasExactMembers } from './_exact-members.js';
import { parsePointer } from './_json-pointer.js';
import { PersonalCommitment } from './personal-commitment.js';

const MEMBERS = ['fields', 'commitment'];

/**
 * `value` as a {@link PersonalCommitment}, or undefined when the schema refuses it. Every read
 * of a sealed event checks its member, so the usual case (one JSON.parse made) is checked by
 * hand, in about half the schema's time; whatever that check does not accept is left to the
 * schema, so the answer is always the schema's.
 */
export function parsePersonalCommitment(value: unknown): PersonalCommitment | undefined {
  const members = commitmentMembers(value);
  if (members !== undefined) return members;
  const parsed = PersonalCommitment.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Accepts only what {@link PersonalCommitment} accepts, though perhaps not all of it. */
export function commitmentMembers(value: unknown): PersonalCommitment | undefined {
  if (!hasExactMembers(value, MEMBERS)) return undefined;
  const { fields, commitment } = value;
  if (typeof commitment !== 'string' || decodeBase64(commitment)?.length !== 32) return undefined;
  if (!Array.isArray(fields) || fields.length === 0) return undefined;
  let previous: string | undefined;
  for (const field of fields as unknown[]) {
    if (typeof field !== 'string' || parsePointer(field) === undefined) return undefined;
    if (previous !== undefined && !(previous < field)) return undefined;
    previous = field;
  }
  return { fields: fields as string[], commitment };
}
