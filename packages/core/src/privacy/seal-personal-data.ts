import { canonicalJson } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { encodeBase64 } from '../ledger/_base64.js';
import { utf8 } from '../ledger/_bytes.js';
import {
  NONCE_BYTES,
  aesGcmSeal,
  assertKey,
  draw,
  systemRandom,
  type RandomBytes,
} from './_aes-gcm.js';
import { SALT_BYTES, commitmentOfText, personalAad } from './_commitment.js';
import {
  copyPath,
  expandPattern,
  formatPointer,
  parentObject,
  parsePointer,
  removeMember,
  setMember,
  valueAt,
  type PointerTokens,
} from './_json-pointer.js';
import type { PersonalCommitment } from './personal-commitment.js';
import { PERSONAL_FIELDS, PERSONAL_PLACEHOLDER } from './personal-fields.js';
import type { SealedPersonalData } from './sealed-personal-data.js';

/** An event with its id settled, as sealing needs it (the id is bound into the ciphertext). */
export type IdentifiedEvent = Event & { readonly id: string };

/** An event as the ledger commits to it: personal values replaced by a `personal` member. */
export type CommittedEvent = IdentifiedEvent & { readonly personal?: PersonalCommitment };

export interface SealPersonalDataOptions {
  /** Pointers from `personalPointers` (`*` for any array index); absent fields are skipped. */
  readonly pointers: readonly string[];
  /** The subject's 32-byte AES-256 key. */
  readonly subjectKey: Uint8Array;
  /** Source of the salt and nonce; the system's generator unless a test fixes it. */
  readonly random?: RandomBytes;
}

/**
 * Takes the personal values out of an event before it becomes a leaf. The returned event
 * lacks them (required strings hold {@link PERSONAL_PLACEHOLDER}; an object left empty,
 * such as `input` holding only `features`, goes too) and gains a `personal`
 * member committing to them; `sealed` holds them encrypted under the subject key, for the
 * caller to store beside the leaf. When the event holds none of the fields, it is returned
 * unchanged with `sealed: null`. The returned event shares the members sealing leaves alone
 * with `event`.
 *
 * @throws RangeError for a pointer outside the allow-list, an event that already has a
 *   `personal` member, or a key that is not 32 bytes.
 */
export function sealPersonalData(
  event: IdentifiedEvent,
  options: SealPersonalDataOptions,
): { readonly event: CommittedEvent; readonly sealed: SealedPersonalData | null } {
  assertKey(options.subjectKey, 'a subject key');
  if (Object.hasOwn(event, 'personal')) throw new RangeError('the event is sealed already');
  const fields = concreteFields(event, options.pointers);
  if (fields.length === 0) return { event, sealed: null };

  const random = options.random ?? systemRandom;
  const values = Object.fromEntries(fields.map((f) => [f.pointer, valueAt(event, f.tokens)]));
  const salt = draw(random, SALT_BYTES);
  // Encoded once: the commitment hashes this text and the plaintext holds it.
  const valuesText = canonicalJson(values);
  const commitment = commitmentOfText(salt, valuesText);

  // Only the objects on the way to a sealed field are copied: the rest is shared with
  // `event`, which is never changed.
  const copy = { ...event };
  const copies = new Set<object>([copy]);
  for (const field of fields) {
    copyPath(copy, field.tokens, copies);
    if (!field.required) removeMember(copy, field.tokens);
    else if (!setMember(copy, field.tokens, PERSONAL_PLACEHOLDER)) {
      throw new Error(`${field.pointer} is missing from the copy`);
    }
  }
  const committed: CommittedEvent = {
    ...copy,
    personal: { fields: fields.map((f) => f.pointer), commitment },
  };

  const nonce = draw(random, NONCE_BYTES);
  // canonicalJson({ salt, values }): its two member names are in canonical order already.
  const plaintext = utf8(`{"salt":"${encodeBase64(salt)}","values":${valuesText}}`);
  const { ciphertext, tag } = aesGcmSeal(
    options.subjectKey,
    nonce,
    plaintext,
    personalAad(event.id, commitment),
  );
  const sealed: SealedPersonalData = {
    alg: 'A256GCM',
    nonce: encodeBase64(nonce),
    ciphertext: encodeBase64(ciphertext),
    tag: encodeBase64(tag),
  };
  return { event: committed, sealed };
}

interface ConcreteField {
  readonly pointer: string;
  readonly tokens: PointerTokens;
  readonly required: boolean;
}

/** The allow-list with its pointers parsed once: every sealed event looks them up. */
const RULES = PERSONAL_FIELDS.map((field) => ({ field, tokens: parsePointer(field.pointer) }));

/** The concrete fields the patterns reach in `event`, sorted by pointer, each once. */
function concreteFields(event: IdentifiedEvent, patterns: readonly string[]): ConcreteField[] {
  const fields = new Map<string, ConcreteField>();
  for (const pattern of patterns) {
    const rule = RULES.find((r) => r.field.type === event.type && r.field.pointer === pattern);
    if (rule === undefined || rule.tokens === undefined) {
      throw new RangeError(`${JSON.stringify(pattern)} is not a personal field of a ${event.type}`);
    }
    for (const concrete of expandPattern(event, rule.tokens)) {
      if (parentObject(event, concrete) === undefined) continue;
      const pointer = formatPointer(concrete);
      fields.set(pointer, { pointer, tokens: concrete, required: rule.field.required });
    }
  }
  return [...fields.values()].sort((a, b) => (a.pointer < b.pointer ? -1 : 1));
}
